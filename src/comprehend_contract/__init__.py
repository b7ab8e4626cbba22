"""comprehend-contract: the conformance kit for Amazon Comprehend's StopSentimentDetectionJob API."""

__version__ = "0.1.0"
