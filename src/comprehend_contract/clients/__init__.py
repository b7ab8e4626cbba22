"""How the harness talks to an implementation: a stock boto3 client, and a raw signed-HTTP sender.

Both sign with botocore's SigV4 signer. The raw sender exists for what boto3 will not send: a missing,
corrupted or back-dated signature, a body that is not JSON, an unknown target.
"""

from comprehend_contract.clients.boto import Credentials, comprehend_client, s3_client
from comprehend_contract.clients.raw import RawResponse, RawSender, Signature

__all__ = ["Credentials", "RawResponse", "RawSender", "Signature", "comprehend_client", "s3_client"]
