import uuid

import boto3
import pytest
from moto.server import ThreadedMotoServer

REGION = "eu-central-1"
KEYS = {"access_key": "testing", "secret_key": "testing"}


@pytest.fixture(scope="session")
def s3_endpoint():
    """A local S3 emulator (moto in server mode) on a free port, real HTTP like a provider."""
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=0, verbose=False)
    server.start()
    host, port = server.get_host_and_port()
    yield f"http://{host}:{port}"
    server.stop()


@pytest.fixture
def s3_client(s3_endpoint):
    return boto3.client(
        "s3",
        endpoint_url=s3_endpoint,
        region_name=REGION,
        aws_access_key_id=KEYS["access_key"],
        aws_secret_access_key=KEYS["secret_key"],
    )


@pytest.fixture
def make_bucket(s3_client):
    """Creates a bucket with a fresh name for each call."""

    def make():
        name = f"test-{uuid.uuid4().hex[:16]}"
        s3_client.create_bucket(
            Bucket=name, CreateBucketConfiguration={"LocationConstraint": REGION}
        )
        return name

    return make


@pytest.fixture
def s3_media(settings, s3_endpoint, make_bucket):
    """Media in a bucket of the emulator, configured as production would be (settings.py)."""
    bucket = make_bucket()
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {
            "BACKEND": "config.storage.MediaStorage",
            "OPTIONS": {
                "bucket_name": bucket,
                "endpoint_url": s3_endpoint,
                "region_name": REGION,
                **KEYS,
            },
        },
    }
    return bucket


@pytest.fixture
def bucket_keys(s3_client):
    """``bucket_keys(bucket, prefix="")``: every key in the bucket (under ``prefix``)."""

    def keys(bucket, prefix=""):
        pages = s3_client.get_paginator("list_objects_v2").paginate(Bucket=bucket, Prefix=prefix)
        return sorted(item["Key"] for page in pages for item in page.get("Contents", []))

    return keys
