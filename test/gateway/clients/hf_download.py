"""Run by python-hf.test.ts: the real huggingface_hub client against the Weightshare gateway.

HF_ENDPOINT points at the gateway and HF_TOKEN is the SIWE bearer token (both from the environment, as a user
sets them). Usage: hf_download.py download|refused REPO OUT_DIR. Prints one JSON object on stdout.
"""
import json
import os
import sys

import huggingface_hub
from huggingface_hub import hf_hub_download, snapshot_download


def main() -> None:
    mode, repo, out = sys.argv[1:4]
    if mode == "download":
        single = hf_hub_download(repo_id=repo, filename="config.json", local_dir=os.path.join(out, "single"))
        nested = hf_hub_download(repo_id=repo, filename="onnx/model.onnx", cache_dir=os.path.join(out, "cache"))
        snapshot = snapshot_download(repo_id=repo, local_dir=os.path.join(out, "snapshot"))
        print(json.dumps({"version": huggingface_hub.__version__, "single": single, "nested": nested,
                          "snapshot": snapshot}))
        return
    try:
        hf_hub_download(repo_id=repo, filename="config.json", local_dir=os.path.join(out, "refused"))
        print(json.dumps({"error": None}))
    except Exception as error:  # the test asserts on the class and status
        response = getattr(error, "response", None)
        print(json.dumps({
            "error": type(error).__name__,
            "classes": [c.__name__ for c in type(error).__mro__],
            "status": getattr(response, "status_code", None),
            "message": str(error).splitlines()[0] if str(error) else "",
        }))


if __name__ == "__main__":
    main()
