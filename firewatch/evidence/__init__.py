"""Evidence: raw WARC records, browser captures, case packages (WACZ + 笔录), signatures, verify."""
