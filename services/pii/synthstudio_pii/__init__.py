"""PII service of Synth Studio: Presidio scanning of tables and text, recognizers, anonymization.

The domain modules (`analyzer`, `recognizers`, `columns`, `text`, `anonymize`, `repository`,
`core`) never import grpc; `server.py`/`servicer.py` translate protobuf to and from them.
"""

import os

# Presidio's e-mail recognizer uses tldextract, which otherwise fetches the public suffix list
# over the network at first use. Set here, before any submodule imports Presidio.
os.environ["TLDEXTRACT_PUBLIC_SUFFIX_LIST_URLS"] = ""
# Custom regexes come from requests; Presidio stops a pattern after this many seconds (its
# default, 60, would let one catastrophic-backtracking pattern hold a worker for a minute).
os.environ.setdefault("REGEX_TIMEOUT_SECONDS", "5")
