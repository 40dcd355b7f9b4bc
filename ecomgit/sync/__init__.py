"""Reading the shop into the mirror. The entry point is ``ecomgit.sync.run.run_sync``."""
