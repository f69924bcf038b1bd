"""Signers' details sealed to their organisation's key and to their own link (docs/threat-model.md).

The server holds only public keys. `keys` makes and reads organisation key pairs, `boxes`
seals and opens a signer's details (`open_signer`), `holder` takes a coordinator's uploaded
key for one request (`key_from_upload`), `forms` asks for it. Their uses: app/signer_privacy.
"""
