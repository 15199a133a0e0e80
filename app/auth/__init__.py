"""The security domain: passwords, access tokens, refresh-token rotation, revocation, the
login throttle, API keys, roles and the authenticated principal.

May import: `app.infra`, `app.tables`, `app.errors`, `app.settings`. No Flask, no Connexion.
"""
