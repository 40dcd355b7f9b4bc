"""Price history per variant from the mirror's commits, and the EU's 30-day rule.

``reading`` walks the history once (one ``git log --raw`` over the record commits, the product
files they hold read in one ``git cat-file --batch``) into each variant's price points;
``parse`` pulls a variant's prices out of a product file without a YAML parser; ``rule`` answers
"is this old price the lowest price of the window before the reduction?" with its evidence;
``review`` asks the same of a proposed change (``ecomgit check --prices``).
"""
