"""The blob store: paths from digests only, atomic writes, idempotent puts."""

from __future__ import annotations

import hashlib

import pytest

from archive_app.core.blobstore import BlobStore


def test_put_is_content_addressed_and_idempotent(tmp_path) -> None:
    store = BlobStore(tmp_path)
    sha, created = store.put_bytes(b"abc")
    assert sha == hashlib.sha256(b"abc").hexdigest() and created
    assert store.path_for(sha).read_bytes() == b"abc"
    assert store.put_bytes(b"abc") == (sha, False)
    assert list(store.tmp.iterdir()) == []


@pytest.mark.parametrize("bad", ["../../etc/passwd", "ABC", "0" * 63, "g" * 64])
def test_a_path_is_never_built_from_anything_but_a_digest(tmp_path, bad) -> None:
    with pytest.raises(ValueError):
        BlobStore(tmp_path).path_for(bad)


def test_a_wrong_declared_digest_is_refused(tmp_path) -> None:
    store = BlobStore(tmp_path)
    src = tmp_path / "src"
    src.write_bytes(b"real content")
    with pytest.raises(OSError):
        store.put_file(src, hashlib.sha256(b"other").hexdigest())
    assert list(store.iter_digests()) == [] and list(store.tmp.iterdir()) == []
