#!/usr/bin/env python3
"""Create the KTXH document bucket with versioning and an object-lock retention (idempotent).

    python infra/minio/create_bucket.py --endpoint localhost:9000 --bucket ktxh-documents \
        --retention-mode GOVERNANCE --retention-days 30            # local distributed mode
    python create_bucket.py --bucket ktxh-hp-documents --retention-mode COMPLIANCE --retention-years 10

Signed decisions and reports are legal records: the bucket is created with object lock
(which implies versioning), and a default retention applies to every new object version:
GOVERNANCE (privileged users may shorten it) or COMPLIANCE (nobody can, not even the
root user, until it expires). Object lock can only be switched on when a bucket is
created; the script refuses to continue on an existing bucket without it.

The bucket stays private: any anonymous bucket policy found is reported (and removed with
--remove-anonymous-policy). Access for the document service is granted through the IAM
policy in infra/minio/policies/ (see docs/operations.md).

Settings come from flags or the environment: S3_ENDPOINT, S3_ACCESS_KEY, S3_SECRET_KEY,
S3_SECURE (true/false), S3_REGION, S3_BUCKET, S3_RETENTION_MODE, S3_RETENTION_DAYS,
S3_RETENTION_YEARS. Needs only the `minio` client (in every KTXH image).
"""

from __future__ import annotations

import argparse
import logging
import os
import sys
import time

log = logging.getLogger("ktxh.create_bucket")


def env_bool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    return value.strip().lower() in ("1", "true", "yes", "on")


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--endpoint", default=os.environ.get("S3_ENDPOINT", "localhost:9000"))
    p.add_argument("--access-key", default=os.environ.get("S3_ACCESS_KEY"))
    p.add_argument("--secret-key", default=os.environ.get("S3_SECRET_KEY"))
    p.add_argument(
        "--secure", action=argparse.BooleanOptionalAction, default=env_bool("S3_SECURE", False)
    )
    p.add_argument("--region", default=os.environ.get("S3_REGION") or None)
    p.add_argument("--bucket", default=os.environ.get("S3_BUCKET", "ktxh-documents"))
    p.add_argument(
        "--retention-mode",
        choices=["GOVERNANCE", "COMPLIANCE", "NONE"],
        default=os.environ.get("S3_RETENTION_MODE", "GOVERNANCE").upper(),
        help="default retention of new object versions (NONE: object lock without default)",
    )
    p.add_argument(
        "--retention-days", type=int, default=int(os.environ.get("S3_RETENTION_DAYS") or 0)
    )
    p.add_argument(
        "--retention-years", type=int, default=int(os.environ.get("S3_RETENTION_YEARS") or 0)
    )
    p.add_argument("--remove-anonymous-policy", action="store_true")
    p.add_argument(
        "--wait-seconds", type=float, default=float(os.environ.get("S3_WAIT_SECONDS", "120"))
    )
    args = p.parse_args(argv)
    if args.retention_mode != "NONE" and bool(args.retention_days) == bool(args.retention_years):
        p.error("give exactly one of --retention-days / --retention-years with a retention mode")
    return args


def retention_config(args: argparse.Namespace):
    from minio.commonconfig import COMPLIANCE, GOVERNANCE
    from minio.objectlockconfig import DAYS, YEARS, ObjectLockConfig

    if args.retention_mode == "NONE":
        return None
    mode = COMPLIANCE if args.retention_mode == "COMPLIANCE" else GOVERNANCE
    if args.retention_years:
        return ObjectLockConfig(mode, args.retention_years, YEARS)
    return ObjectLockConfig(mode, args.retention_days, DAYS)


def main(argv: list[str] | None = None) -> int:
    from minio import Minio
    from minio.error import S3Error

    args = parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s %(message)s")
    client = Minio(
        args.endpoint,
        access_key=args.access_key,
        secret_key=args.secret_key,
        secure=args.secure,
        region=args.region,
    )

    deadline = time.monotonic() + args.wait_seconds
    while True:
        try:
            exists = client.bucket_exists(args.bucket)
            break
        except S3Error:
            raise
        except Exception as exc:  # object store not reachable yet
            if time.monotonic() > deadline:
                raise SystemExit(f"object store at {args.endpoint} not reachable: {exc!r}") from exc
            log.info("waiting for object store at %s: %r", args.endpoint, exc)
            time.sleep(2)

    if not exists:
        client.make_bucket(args.bucket, location=args.region, object_lock=True)
        log.info("created bucket %s with object lock", args.bucket)
    else:
        try:
            client.get_object_lock_config(args.bucket)
        except S3Error as exc:
            raise SystemExit(
                f"bucket {args.bucket} exists without object lock ({exc.code}); object lock can only "
                "be enabled at creation: create a new bucket and copy the objects (see docs/operations.md)"
            ) from exc
        log.info("bucket %s exists with object lock", args.bucket)

    from minio.commonconfig import ENABLED
    from minio.versioningconfig import VersioningConfig

    if client.get_bucket_versioning(args.bucket).status != ENABLED:
        client.set_bucket_versioning(args.bucket, VersioningConfig(ENABLED))
        log.info("versioning enabled on %s", args.bucket)

    config = retention_config(args)
    if config is not None:
        client.set_object_lock_config(args.bucket, config)
        log.info(
            "default retention on %s: %s %s %s",
            args.bucket,
            config.mode,
            config.duration,
            config.duration_unit,
        )

    try:
        policy = client.get_bucket_policy(args.bucket)
    except S3Error as exc:
        if exc.code != "NoSuchBucketPolicy":
            raise
        policy = None
    if policy:
        if args.remove_anonymous_policy:
            client.delete_bucket_policy(args.bucket)
            log.warning("removed anonymous bucket policy from %s", args.bucket)
        else:
            log.warning("bucket %s has an anonymous policy; it should stay private", args.bucket)
    return 0


if __name__ == "__main__":
    sys.exit(main())
