"""The LLM layer: providers behind one interface, answer schemas from the spec, structured
output with repair, budgets, warnings and pricing. Free of Flask; services call it.

May import: `app.accounts`, `app.infra`, `app.errors`, `app.settings`. Never a resource
package (services sit above it), `app.http`, nor `generated`: the composition root hands
it the wire models that validate answers.
"""
