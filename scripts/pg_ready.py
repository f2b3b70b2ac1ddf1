"""Exit 0 when the PostgreSQL server of a DATABASE_URL answers, 1 otherwise."""

import sys

import psycopg


def main() -> int:
    url = sys.argv[1]
    # Connect to the maintenance database: the test database may not exist yet.
    base, _, _name = url.rpartition("/")
    try:
        with psycopg.connect(f"{base}/postgres", connect_timeout=3) as conn:
            conn.execute("select 1")
    except psycopg.Error as exc:
        print(f"PostgreSQL not reachable: {str(exc).strip().splitlines()[0]}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
