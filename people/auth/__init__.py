"""Logging in: password, TOTP second factor, lockout, idle timeout, single
sign-on, rate limits and the security headers' no-store. An app of its own
(label ``people_auth``) so that its signals connect in ``ready()``; it has no
models (django-otp and django-axes bring theirs)."""
