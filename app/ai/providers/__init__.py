"""LLM providers behind one interface (`base.Provider`): openai (and any OpenAI-compatible
server), azure, anthropic, and the deterministic fake."""
