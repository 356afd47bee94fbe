"""PostgreSQL reads for the proof, through psql (Debian's postgresql-client)."""

import csv
import io
import subprocess


def query(url, sql):
    """Rows of `sql` as lists of strings (NULL as None)."""
    out = subprocess.run(["psql", url, "-X", "-q", "-v", "ON_ERROR_STOP=1", "--csv", "-P", "null=\\N", "-c", sql],
                         check=True, capture_output=True, text=True).stdout
    rows = list(csv.reader(io.StringIO(out)))
    return [[None if value == "\\N" else value for value in row] for row in rows[1:]]


def leader(url):
    """(holder, expires_at) of the `leader` lease, or None."""
    try:
        rows = query(url, "SELECT holder, expires_at FROM leases WHERE name = 'leader'")
    except subprocess.CalledProcessError:
        return None
    return (rows[0][0], float(rows[0][1])) if rows else None
