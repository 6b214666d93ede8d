"""Notices to users: in-app now; e-mail reuses the same notices later."""
