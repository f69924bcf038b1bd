"""What sealed signer details serve (docs/threat-model.md): the signer's private page, the
coordinator's key page, sealing rows stored before sealing, and duplicates of high-risk appeals.

The primitives (key pairs, boxes, the uploaded key) are in app/sealing.
"""
