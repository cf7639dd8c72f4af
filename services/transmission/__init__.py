"""The transmission service: delivers signed documents to the authority and follows verdicts."""
