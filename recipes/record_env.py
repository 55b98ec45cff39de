"""Print the GPU, driver and software versions a recording ran with, as JSON (see common.environment)."""

import json
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from common import environment  # noqa: E402

if __name__ == "__main__":
    print(json.dumps(environment(), indent=2))
