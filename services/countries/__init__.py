"""Country packs: everything one country needs lives in its own folder (`co`, `cl`, ...)."""
