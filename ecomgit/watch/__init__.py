"""``ecomgit watch``: keep a mirror current from the shop's webhooks (issue 17 item 1).

- :mod:`.webhooks`: register (idempotently) and remove ecomgit's webhooks for ``products/*`` and
  ``variants/*`` at the public address given;
- :mod:`.receiver`: a standard-library HTTP server that checks each delivery's ``X-Signature``
  (a wrong or missing one is answered 401 and logged, never acted on) and queues the product it
  names, answering at once;
- :mod:`.queue`: the queue, persisted in ``.git/ecomgit/watch.db`` (a restart loses nothing);
  a product is due once no event for it came for the debounce time;
- :mod:`.runner`: syncs the due products only (``Sync(touched=…)``: the deep reads and assembly
  of any sync, no catalog scan), one commit per batch; a full sync on a slower schedule catches
  what a lost delivery missed; optionally pushes each commit.
"""
