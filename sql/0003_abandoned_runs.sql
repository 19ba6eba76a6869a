-- 0003: an import run that never recorded its end (the server stopped, the
-- connection was cut, is248 was killed) is marked 'abandoned' by the next
-- import, which holds the import lock and so knows that no other import is
-- running.

ALTER TABLE is248.import_run DROP CONSTRAINT import_run_status_check;
ALTER TABLE is248.import_run ADD CONSTRAINT import_run_status_check
    CHECK (status IN ('running', 'ok', 'problems', 'failed', 'interrupted',
                      'abandoned'));

COMMENT ON COLUMN is248.import_run.status IS
    'running (now, or never ended: see abandoned), ok (all loaded or loaded before), '
    'problems (loaded, something set aside), failed (a database failure stopped it), '
    'interrupted (SIGINT/SIGTERM; the open file rolled back), abandoned (ended without '
    'a word: marked so by the next import)';
