"""``ecomgit web``: a local web view of the mirror for people who don't use git.

``index`` keeps a cache of the catalog and of which commit touched which product (sqlite under
``.git/ecomgit/``); ``pages`` turns history into what the pages show; ``security`` holds the token,
CSRF and Content-Security-Policy rules; ``app`` wires the routes; ``serve`` runs it.
"""
