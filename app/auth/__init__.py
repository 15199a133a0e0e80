"""The security domain: passwords, access tokens, refresh-token rotation, revocation, the
login throttle, API keys, roles and the authenticated principal.

May import: `app.infra`, `app.models`, `app.errors`, `app.settings`. No Flask, no Connexion.
"""
