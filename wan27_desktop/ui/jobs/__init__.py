"""The job queue panel, its table model and job-ended notifications."""
