"""The LLM layer: providers behind one interface, answer schemas from the spec, structured
output with repair, warnings and pricing. Free of Flask; services call it.

May import: `app.errors`, `app.settings`. Never `app.http`, `app.api` or `app.services`
(services sit above it), nor `generated`: the composition root hands it the wire models
that validate answers.
"""
