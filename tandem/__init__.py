"""Tandem: a platform for school–family partnerships."""
