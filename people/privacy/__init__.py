"""The privacy officer's view of the access log, and the log's protection."""
