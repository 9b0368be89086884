import os
import sqlite3
import stat

import pytest

from reader.importers.save import import_samples
from reader.articles import Article
from reader.schema import MIGRATIONS, SCHEMA_VERSION
from reader.store import Store, StoreError


def art(id="a", body="Body text.", **kw):
    return Article(id=id, title=kw.pop("title", "Title"), body=body, **kw)


def test_new_database_has_private_permissions(tmp_path):
    path = tmp_path / "sub" / "dir" / "db.sqlite"
    Store.open(path).close()
    assert stat.S_IMODE(os.stat(path).st_mode) == 0o600
    assert stat.S_IMODE(os.stat(path.parent).st_mode) == 0o700



def test_a_new_library_gets_8k_pages_and_an_existing_one_keeps_its_own(tmp_path):
    new = tmp_path / "new.db"
    Store.open(new).close()
    old = tmp_path / "old.db"
    c = sqlite3.connect(old, isolation_level=None)  # a library made before, with 4 KiB pages
    c.execute("PRAGMA page_size = 4096")
    c.execute("BEGIN")
    for m in MIGRATIONS[:11]:
        m(c)
    c.execute("PRAGMA user_version = 11")
    c.execute("COMMIT")
    c.close()
    for path, size in ((new, 8192), (old, 4096)):
        s = Store.open(path)
        try:
            assert s.conn.execute("PRAGMA page_size").fetchone()[0] == size
            assert s.conn.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION
            s.upsert_article(art())
            assert s.article("a").body == "Body text."
        finally:
            s.close()

def test_upsert_reports_new_updated_unchanged(store):
    assert store.upsert_article(art()) == "new"
    assert store.upsert_article(art()) == "unchanged"
    assert store.upsert_article(art(body="Changed.")) == "updated"
    assert store.article("a").body == "Changed."


def test_articles_newest_first_undated_last(store):
    store.upsert_article(art("old", date="2012-01-01"))
    store.upsert_article(art("none"))
    store.upsert_article(art("new", date="2024-07-27"))
    assert [a.id for a in store.articles()] == ["new", "old", "none"]


def test_reading_position_persists(db_path):
    s = Store.open(db_path)
    s.upsert_article(art())
    s.set_position("a", 1234)
    s.close()
    assert Store.open(db_path).position("a") == 1234


def test_not_sqlite_file_is_refused_and_untouched(tmp_path):
    path = tmp_path / "notes.db"
    path.write_bytes(b"this is my thesis, not a database" * 10)
    before = path.read_bytes()
    with pytest.raises(StoreError) as err:
        Store.open(path)
    assert str(path) in str(err.value) and "\n" not in str(err.value)
    assert path.read_bytes() == before


def test_foreign_sqlite_database_is_refused(tmp_path):
    path = tmp_path / "other.db"
    c = sqlite3.connect(path)
    c.execute("CREATE TABLE mine (x)")
    c.commit()
    c.close()
    with pytest.raises(StoreError, match="not a mali-reader database"):
        Store.open(path)


def test_newer_schema_is_refused(tmp_path):
    path = tmp_path / "future.db"
    Store.open(path).close()
    c = sqlite3.connect(path)
    c.execute(f"PRAGMA user_version = {SCHEMA_VERSION + 1}")
    c.commit()
    c.close()
    with pytest.raises(StoreError, match="newer mali-reader"):
        Store.open(path)


def test_samples_imported_once(db_path):
    s = Store.open(db_path)
    assert import_samples(s) == []
    n = len(s.articles())
    assert n >= 1
    s.delete_article(s.articles()[0].id)
    assert import_samples(s) == []  # second launch: the deleted sample stays deleted
    assert len(s.articles()) == n - 1


def test_failed_inner_transaction_undoes_only_its_own_writes(store):
    with store.transaction():
        store.upsert_article(art(id="kept"))
        with pytest.raises(RuntimeError):
            with store.transaction():
                store.upsert_article(art(id="undone", body="Other text."))
                raise RuntimeError("bad file")
        store.upsert_article(art(id="after", body="Third text."))
    assert sorted(store.article_ids()) == ["after", "kept"]


def test_the_command_line_says_when_it_upgrades_a_database(tmp_path, capsys):
    """An upgrade can take a minute on a large library: say so, once, on stderr."""
    import sqlite3

    from reader.cli import main
    from reader.schema import MIGRATIONS, SCHEMA_VERSION

    path = tmp_path / "old.db"
    db = sqlite3.connect(path, isolation_level=None)
    db.execute("BEGIN")
    for migrate in MIGRATIONS[:-1]:
        migrate(db)
    db.execute(f"PRAGMA user_version = {SCHEMA_VERSION - 1}")
    db.execute("COMMIT")
    db.close()
    assert main(["articles", "--db", str(path)]) == 0
    err = capsys.readouterr().err.splitlines()
    assert [ln for ln in err if "upgrading" in ln] == [
        f"mali-reader: upgrading {path} from schema {SCHEMA_VERSION - 1} to {SCHEMA_VERSION} (once; a library "
        "with a million notes takes about a minute)"]
    assert main(["articles", "--db", str(path)]) == 0
    assert "upgrading" not in capsys.readouterr().err
    fresh = tmp_path / "new.db"
    assert main(["articles", "--db", str(fresh)]) == 0  # a new database is created, not upgraded
    assert "upgrading" not in capsys.readouterr().err
