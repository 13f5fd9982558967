"""The one door for language models: profiles, LangChain chat models, structured calls."""
