"""AWS parity snapshots: record how one implementation answers every request of the suite, diff another against it.

A snapshot (``schemas/snapshot.json``, format ``comprehend-contract-snapshot/1``) holds, for every test that ran
(its pytest node id, parameters included), the exchanges the test made or judged, in order, *normalized* so that
two runs against the same implementation give the same file. Clauses judge what the spec says; a snapshot judges
"does this answer exactly like the recorded implementation (AWS, ideally)?": the same status and error code, the
same message form, the same members with the same JSON types, the same headers.

What a normalized exchange keeps
================================
``operation``, ``transport`` (raw | boto3) and ``refusal`` (how the request was made to be refused, or null);
``request``: the JSON body the suite sent (or the text of a raw body that is not JSON), normalized;
``request_headers``: only ``content-type`` and ``x-amz-target`` (the ones the suite varies on purpose; the rest is
signing); ``status``; ``headers``: ``content-type`` as sent, ``x-amzn-errortype`` normalized, and
``x-amzn-requestid`` only as present (``"<request-id>"``) or not; ``error_code``: ``__type`` without its
``namespace#`` prefix and ``:suffix`` (how botocore reads it; the raw ``__type`` stays in the body, so a namespace
is a difference of its own); ``body``: the JSON response body (members sorted, values normalized) or, for a body
that is not JSON, ``text`` (normalized, at most 2000 characters); ``new_job_ids``: the form of each job id first
seen in this exchange (``"32 hex digits"``, AWS's form; ``"UUID (36 characters)"``...), so an id's form is one
difference where it appears, not one per exchange that repeats it.

Dropped: transient answers (``"transient": true``: a throttle that was retried) and retry notes; signatures,
credentials, dates and every other request header; response headers other than the three above; and a read
(Describe or List) that repeats the previous exchange with the same normalized answer: a poll is recorded once,
however many times the state driver had to ask.

Normalization rules
===================
Placeholders are numbered per test, in order of first appearance: exchanges in order, in each the request before
the answer, members in sorted order. Strings are rewritten by rules 1-7 in this order.

1. **Run S3 URIs**: ``s3://<any bucket>/<prefix>run-<run id>/<worker>/<label>-<n>[-output]/<rest>`` becomes
   ``s3://<bucket>/<run>/<label>-<n>[-output]/<rest>`` (the worker, ``main`` or ``gwN``, and the per-process
   folder counter vary with ``-n``).
2. **Values learned from the exchanges**, replaced wherever they occur (request, members, messages, headers, non-JSON
   bodies), whole words only:

   - **job ids** -> ``<job-1>``, ``<job-2>``...: every ``JobId`` member of an answer and the id in every
     ``...:sentiment-detection-job/<id>`` ARN (whatever the implementation generated: AWS's 32 hex digits, moto's
     36-character UUIDs), and the random ``JobId``s the suite sends (a UUID, hex digits, or a fixed prefix and a
     tail of 12 or more hex digits such as ``cc-fault-500-<hex>``). A ``JobId`` the suite chose (``"a"``,
     ``"job-that-never-was"``, ``"x" * 32``) is kept as it is, and so is the same value in an answer. Ids shorter
     than 8 characters are replaced only where they are the whole value (a ``JobId`` member, an ARN's id);
   - **request ids** (``x-amzn-RequestId`` values) -> ``<request-id>``;
   - **ClientRequestToken** values -> ``<token-N>``; **NextToken** values -> ``<next-token-N>``;
   - **generated job names**: in a ``JobName`` carrying the run id (``cc-<run id>-<label>``), each dash-separated run
     of 8 or more hex digits (``refused-<uuid hex>``) -> ``<hex-N>``;
   - **buckets** of run URIs -> ``<bucket>``; **account ids** of ARNs -> ``<account>``.
3. **ARNs**: an IAM role's name -> ``<role>`` (it is the target profile's, e.g.
   ``arn:aws:iam::<account>:role/<role>``); a job ARN keeps its shape with the job placeholder
   (``arn:aws:comprehend:us-east-1:<account>:sentiment-detection-job/<job-1>``); any other ARN's account ->
   ``<account>``. Region and partition are kept: record and compare in the same region.
4. The embedded targets' bucket names (``comprehend-contract-<12 hex>``) -> ``<bucket>``; **run ids**
   (``20261129T031200Z-1a2b3c``) -> ``<run>``.
5. **Timestamps inside text** (ISO 8601, HTTP dates, SigV4's ``20261129T031200Z``) -> ``<timestamp>``; a SigV4
   credential scope's date -> ``<date>``.
6. **Access key ids** (``AKIA...``/``ASIA...``) -> ``<access-key>``; loopback endpoints (``127.0.0.1:<port>``,
   ``localhost:<port>``) -> ``<endpoint>``.
7. **Other ids**: 64 hex digits (hashes in SigV4 error messages) -> ``<hash>``; any UUID or 32+ hex digits still
   left -> ``<id-N>``.

JSON values, besides rules 1-7 on every string:

- **Timestamps keep their JSON type visible**: a member named ``...Time`` (``SubmitTime``, ``EndTime``,
  ``SubmitTimeBefore``...) holding a number -> ``"<timestamp:number>"``; any string that is an ISO 8601 time ->
  ``"<timestamp:string>"``. So epoch seconds against ISO strings is a difference, as PROTO-TIMESTAMPS says it is.
- **A running job's status in a read**: in a Describe or List answer, ``JobStatus`` ``SUBMITTED`` or
  ``IN_PROGRESS`` -> ``"<SUBMITTED|IN_PROGRESS>"``. Which of the two a poll sees is timing, not behaviour (AWS
  queues a job for minutes, the reference for a fraction of a second); with the poll rule above, a job seen
  SUBMITTED then IN_PROGRESS is one entry. Start and Stop answers, and every other status, keep their value.
- Everything else is kept with its value and JSON type: ``JobStatus`` values, error codes, ``null`` (``EndTime:
  null`` differs from an absent ``EndTime``), booleans, member names (a member one side adds or drops is a
  difference).
- **An unfiltered List** (no ``Filter.JobName``) answers with every job of the account, which depends on what else
  the run did: its job list (``SentimentDetectionJobPropertiesList``, or the type's own) is recorded as
  ``"<array>"``. A List filtered by ``JobName`` keeps its items.

Parity
======
``compare(recorded, current)`` aligns each test's exchanges on what the suite sent (operation, transport, refusal,
request) and reports a ``Difference`` per field: ``status``/``error_code`` together as one ("the recorded
implementation answered 400 JobNotFoundException, this one 400 ResourceNotFoundException"), each kept header,
each body member (recursively), the non-JSON text, each new job id's form, and anything the suite sent differently.
An exchange only one side made is a difference; so is a test only one side ran ("not run now", "not recorded"),
except a recorded test the current run did not select (``--clause``): that one is *not compared*. The parity score
is tests identical / tests compared.

What normalization cannot remove is an observation that timing decides beyond the rules above (a job stopped just
as it completes may end STOPPED or COMPLETED; a scenario that lost a race starts another job). The embedded
reference gave identical snapshots over seven runs, serial and ``-n 2``.
"""

from comprehend_contract.snapshots.diff import PARITY_FORMAT, Comparison, Difference, compare
from comprehend_contract.snapshots.model import FORMAT, Snapshot, SnapshotError
from comprehend_contract.snapshots.normalize import normalize_test
from comprehend_contract.snapshots.render import describe_source, render_markdown, score_line

__all__ = [
    "FORMAT",
    "PARITY_FORMAT",
    "Comparison",
    "Difference",
    "Snapshot",
    "SnapshotError",
    "compare",
    "describe_source",
    "normalize_test",
    "render_markdown",
    "score_line",
]
