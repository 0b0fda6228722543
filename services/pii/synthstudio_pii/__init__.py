"""PII service of Synth Studio: Presidio scanning of tables and text, recognizers, anonymization.

The domain modules (`analyzer`, `recognizers`, `columns`, `text`, `anonymize`, `repository`,
`core`) never import grpc; `server.py`/`servicer.py` translate protobuf to and from them.
"""

import os

# Presidio's e-mail recognizer uses tldextract, which otherwise fetches the public suffix list
# over the network at first use. Set here, before any submodule imports Presidio.
os.environ["TLDEXTRACT_PUBLIC_SUFFIX_LIST_URLS"] = ""
