"""timbra services: issuing, signing, transmission, audit, and the country packs they use."""
