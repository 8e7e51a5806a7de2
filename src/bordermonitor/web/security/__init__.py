"""Signing in and the protection of staff sessions and pages: the second factor, throttling of failed
sign-ins, session lifetime and the security headers (docs/access.md, "Signing in")."""
