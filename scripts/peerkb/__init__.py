"""peerkb: turn a peer-work research library into a static knowledge-base site."""
