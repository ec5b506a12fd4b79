"""Sweeps in shards: shard=(k, n) and merge give exactly the result of one run, as the
command line's --shard and merge do (and read each other's files); run_on runs the
shards on a dask.distributed cluster."""

import json
import pathlib

import numpy as np
import pytest

from hopfield import experiments

CONFIGS = {
    "capacity": dict(n=120, alpha=[0.03, 0.08, 0.15], trials=3, seed=11),
    "basins": dict(n=120, alpha=[0.05, 0.1], noise=[0.0, 0.2, 0.4], trials=2, cues=4, seed=12),
    "attractors": dict(n=80, p=4, starts=30, seed=13),
}


def assert_same(a, b):
    """Two result dicts are equal, array for array, bit for bit (NaN where NaN)."""
    assert a.keys() == b.keys()
    for key in a:
        x, y = a[key], b[key]
        if isinstance(x, np.ndarray):
            assert x.dtype == y.dtype and x.shape == y.shape, key
            assert np.array_equal(x, y, equal_nan=x.dtype.kind == "f"), key
        else:
            assert x == y, key


@pytest.mark.parametrize("name", list(CONFIGS))
@pytest.mark.parametrize("shards", [1, 2, 4])
def test_shards_merge_into_the_result_of_one_run(name, shards):
    run = experiments.SWEEPS[name]
    config = CONFIGS[name]
    whole = run(**config)
    parts = [run(**config, shard=(k, shards)) for k in range(1, shards + 1)]
    for k, part in enumerate(parts, 1):
        assert part["experiment"] == name
        assert part["shard"] == {"index": k, "count": shards}
        assert all(u["unit"] % shards == k - 1 for u in part["units"])
    assert_same(experiments.merge(parts), whole)
    assert_same(experiments.merge(parts[::-1]), whole)
    assert experiments.merge(parts, json=True) == run(**config, json=True)


def test_results_as_json_are_the_command_line_output(cli, tmp_path):
    config = CONFIGS["capacity"]
    args = ["capacity", "--n", "120", "--alpha", "0.03,0.08,0.15", "--trials", "3",
            "--seed", "11"]
    text = experiments.capacity(**config, json=True)
    assert json.loads(text) == cli(*args, "--json")
    # Shard files: the command line's and ours are the same text, and each side merges
    # the other's.
    for k in (1, 2):
        ours = experiments.capacity(**config, shard=f"{k}/2", json=True)
        assert ours == cli(*args, "--shard", f"{k}/2")
        cli(*args, "--shard", f"{k}/2", "--out", tmp_path)
    files = sorted(tmp_path.glob("capacity.shard-*-of-2.json"))
    assert len(files) == 2
    assert experiments.merge(files, json=True) == text
    assert experiments.merge([str(f) for f in files], json=True) == text
    mine = tmp_path / "mine"
    mine.mkdir()
    for k in (1, 2):
        (mine / f"part{k}.json").write_text(json.dumps(experiments.capacity(**config, shard=(k, 2))))
    merged = cli("merge", mine / "part1.json", mine / "part2.json", "--json")
    assert merged == json.loads(text)


def test_bad_shards_and_parts_are_refused_with_the_fix():
    config = CONFIGS["capacity"]
    with pytest.raises(ValueError, match="needs an explicit seed="):
        experiments.capacity(120, [0.05], 2, shard=(1, 2))
    with pytest.raises(ValueError, match="between 1 and 2"):
        experiments.capacity(**config, shard=(3, 2))
    with pytest.raises(ValueError, match="expected k/n"):
        experiments.capacity(**config, shard="half")
    with pytest.raises(TypeError, match="pair \\(k, n\\)"):
        experiments.capacity(**config, shard=1.5)
    a = experiments.capacity(**config, shard=(1, 3))
    b = experiments.capacity(**config, shard=(2, 3))
    with pytest.raises(ValueError, match="missing.*is a shard left out"):
        experiments.merge([a, b])
    with pytest.raises(ValueError, match="in more than one shard"):
        experiments.merge([a, a, b, experiments.capacity(**config, shard=(3, 3))])
    other = experiments.capacity(**{**config, "seed": 99}, shard=(3, 3))
    with pytest.raises(ValueError, match="another configuration"):
        experiments.merge([a, b, other])
    basins = experiments.basins(**CONFIGS["basins"], shard=(1, 1))
    with pytest.raises(ValueError, match="holds a basins shard, not capacity"):
        experiments.merge([a, basins])
    with pytest.raises(ValueError, match="not the partial result of a shard"):
        experiments.merge([experiments.capacity(**config)])
    with pytest.raises(ValueError, match="parts is empty"):
        experiments.merge([])
    with pytest.raises(TypeError, match="list of partial results"):
        experiments.merge(a)
    with pytest.raises(FileNotFoundError, match="nowhere.json"):
        experiments.merge([pathlib.Path("nowhere.json")])


def test_run_on_needs_a_known_experiment():
    with pytest.raises(ValueError, match="capacity, basins, attractors"):
        experiments.run_on(None, "crosstalk", shards=2)
    with pytest.raises(ValueError, match="shards must be a positive integer"):
        experiments.run_on(None, "capacity", shards=0)
    with pytest.raises(TypeError, match="sets shard= itself"):
        experiments.run_on(None, "capacity", shards=2, shard=(1, 2))


def test_a_dask_cluster_gives_the_result_of_one_local_run():
    distributed = pytest.importorskip("dask.distributed")
    with distributed.LocalCluster(
        n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None,
        worker_dashboard_address=None,
    ) as cluster, distributed.Client(cluster) as client:
        assert len(client.scheduler_info()["workers"]) == 2
        for name, shards in [("capacity", 4), ("basins", 3), ("attractors", 2)]:
            config = CONFIGS[name]
            local = experiments.SWEEPS[name](**config)
            with distributed.get_task_stream(client) as stream:
                assert_same(experiments.run_on(client, name, shards=shards, **config), local)
            # The shards ran as tasks of the cluster's worker processes.
            assert len(stream.data) == shards
            if name == "capacity":
                assert len({task["worker"] for task in stream.data}) == 2
            assert (experiments.run_on(client, name, shards=shards, json=True, **config)
                    == experiments.SWEEPS[name](**config, json=True))
        # A seed left out is drawn once, so every shard runs the same sweep; it is
        # recorded in the result, which a local run with it reproduces.
        config = {k: v for k, v in CONFIGS["capacity"].items() if k != "seed"}
        drawn = experiments.run_on(client, "capacity", shards=2, **config)
        assert_same(drawn, experiments.capacity(**config, seed=drawn["seed"]))
