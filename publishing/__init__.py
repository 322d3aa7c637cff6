"""Publish the built site: verify the output, then deploy it to a git branch or a folder/host."""
