from datetime import date

import orjson
import pytest

from thinkchild.demo.generate import demo_generate
from thinkchild.demo.scales import SCALES

AS_OF = date(2026, 3, 1)


@pytest.fixture(scope="session")
def tiny_force(tmp_path_factory):
    out = tmp_path_factory.mktemp("demo-tiny")
    return demo_generate(scale=SCALES["tiny"], seed=7, out=out, as_of=AS_OF)


@pytest.fixture(scope="session")
def records(tiny_force):
    """Every record of the tiny force, by file, in file order."""
    return {
        path.stem: [orjson.loads(line) for line in path.read_bytes().splitlines()]
        for path in tiny_force.paths
    }
