"""The archive of closed appeals: retention schedule (JRA) and the evidence pack (ZIP)."""
