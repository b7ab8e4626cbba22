// An independent client of the reference: every job type of the family, driven with the AWS SDK for JavaScript v3.
//
//   node scripts/js-client/check.mjs READY-FILE      (scripts/js-client-check starts the server and runs this)
//
// READY-FILE is the JSON `comprehend-contract serve --ready-file` writes (endpoint_url, s3_endpoint_url, region,
// accounts). For each type: Start a small ONE_DOC_PER_LINE job with the type's SDK command, poll Describe until
// COMPLETED, find it with List, read its output at Describe's OutputDataConfig.S3Uri in the type's form and check
// every record; Stop a larger job once it is IN_PROGRESS and check it ends STOPPED with some, not all, documents;
// and check that the next type's Stop does not know the first job. One line per check; exit 1 on any failure.
//
// Nothing here imports the kit: the SDK builds every request from its own service model. The table below is the only
// copy of the family this script has, and it is checked against src/comprehend_contract/spec/family.toml by a plain
// text scan first, so the two cannot drift.

import { readFileSync } from "node:fs";
import { randomBytes } from "node:crypto";
import { gunzipSync } from "node:zlib";
import { performance } from "node:perf_hooks";
import { setTimeout as sleep } from "node:timers/promises";
import { isDeepStrictEqual } from "node:util";
import * as comprehend from "@aws-sdk/client-comprehend";
import {
  CreateBucketCommand,
  GetObjectCommand,
  ListObjectsV2Command,
  PutObjectCommand,
  S3Client,
} from "@aws-sdk/client-s3";

const FAMILY_TOML = new URL("../../src/comprehend_contract/spec/family.toml", import.meta.url);

// The seven types, in family.toml's order: the members Start requires besides InputDataConfig, OutputDataConfig and
// DataAccessRoleArn (with the values this script sends), the documented output folder code and form (the first of
// family.toml's output_codes and output_forms), and the member every non-error record of the type has.
const TYPES = [
  { name: "Sentiment", start: { LanguageCode: "en" }, code: "TS", form: "archive", record: "Sentiment" },
  { name: "KeyPhrases", start: { LanguageCode: "en" }, code: "KP", form: "archive", record: "KeyPhrases" },
  { name: "Entities", start: { LanguageCode: "en" }, code: "NER", form: "archive", record: "Entities" },
  { name: "DominantLanguage", start: {}, code: "LANGUAGE", form: "archive", record: "Languages" },
  {
    name: "PiiEntities",
    start: { LanguageCode: "en", Mode: "ONLY_OFFSETS" },
    code: "PII",
    form: "files",
    record: "Entities",
  },
  {
    name: "Events",
    start: {
      LanguageCode: "en",
      TargetEventTypes: ["BANKRUPTCY", "EMPLOYMENT", "CORPORATE_ACQUISITION", "CORPORATE_MERGER", "IPO"],
    },
    code: "EVENTS",
    form: "files",
    record: "Events",
  },
  {
    name: "TargetedSentiment",
    start: { LanguageCode: "en" },
    code: "TS",
    form: "archive-of-files",
    record: "Entities",
  },
];

const DOCUMENTS = [
  "Jane Doe (jane.doe@example.com) loves the new Acme phone she bought in Seattle on March 3, 2024.",
  "Amazon acquired Whole Foods for $13.7 billion in 2017, and Acme Corp filed for bankruptcy in Chicago.",
  "The box is brown.",
  "Le café de la gare est délicieux, mais le service était très lent.",
];
const STOP_DOCUMENTS = Array.from({ length: 400 }, (_, i) => `Jane Doe bought ${i} Acme phones in Seattle.`);
// Stop the large job this long after Describe first shows it IN_PROGRESS: under the reference's default pace
// (--pace fast: 0.05 s start-up, 5 ms a document) it has then analysed some of its documents, and far from all.
const STOP_AFTER_SECONDS = 0.3;
const JOB_TIMEOUT_SECONDS = 60;
const POLL_SECONDS = 0.05;
const END_STATES = new Set(["COMPLETED", "FAILED", "STOP_REQUESTED_FAILED", "STOPPED"]);

// ---------------------------------------------------------------------------------------------------------------------
// Reporting: one line per check.

const results = { passed: 0, failed: 0, skipped: 0 };
const WIDTH = Math.max(...TYPES.map((type) => type.name.length));

function line(verdict, type, check, detail) {
  console.log(`${verdict.padEnd(4)} ${type.padEnd(WIDTH)}  ${check.padEnd(9)}  ${detail}`);
}

class CheckFailed extends Error {}

function expect(condition, message) {
  if (!condition) throw new CheckFailed(message);
}

/** Runs one check; a failure prints what was asked and what came back, and does not stop the other checks. */
async function check(type, name, body) {
  try {
    const detail = await body();
    results.passed += 1;
    line("ok", type, name, detail);
    return true;
  } catch (error) {
    results.failed += 1;
    line("FAIL", type, name, describeError(error));
    return false;
  }
}

function skip(type, name, why) {
  results.skipped += 1;
  line("skip", type, name, why);
}

/** An SDK error as the SDK reported it: its name, message, HTTP status, the body it could not parse, the request. */
function describeError(error) {
  if (error instanceof CheckFailed) return error.message;
  const parts = [`${error.name}: ${error.message}`];
  if (error.$metadata?.httpStatusCode !== undefined) parts.push(`HTTP ${error.$metadata.httpStatusCode}`);
  if (error.$metadata?.requestId) parts.push(`request id ${error.$metadata.requestId}`);
  if (error.$responseBodyText) parts.push(`body ${error.$responseBodyText}`);
  if (error.request) parts.push(`request ${error.request}`);
  return parts.join("; ");
}

/** Sends a command; an SDK error keeps the command and its input, so a failure says what was asked. */
async function send(client, command) {
  try {
    return await client.send(command);
  } catch (error) {
    const input = JSON.stringify(command.input);
    error.request = `${command.constructor.name} ${input.length > 400 ? `${input.slice(0, 400)}...` : input}`;
    throw error;
  }
}

// ---------------------------------------------------------------------------------------------------------------------
// The table against family.toml.

/** Each [[type]] entry's name, start_required, first output code and first output form, read as plain text. */
function scanFamily(text) {
  const strings = (value) => [...value.matchAll(/"([^"]*)"/g)].map((match) => match[1]);
  return text
    .split(/^\[\[type\]\]\s*$/m)
    .slice(1)
    .map((entry) => {
      const field = (key) => entry.match(new RegExp(`^${key}\\s*=\\s*(.*)$`, "m"))?.[1] ?? "";
      return {
        name: strings(field("name"))[0],
        startRequired: strings(field("start_required")),
        code: strings(field("output_codes"))[0],
        form: strings(field("output_forms"))[0],
      };
    });
}

function checkTableAgainstFamily() {
  const family = scanFamily(readFileSync(FAMILY_TOML, "utf8"));
  const names = family.map((entry) => entry.name);
  expect(
    isDeepStrictEqual(names, TYPES.map((type) => type.name)),
    `family.toml names ${names.join(", ")}; this script's table names ${TYPES.map((type) => type.name).join(", ")}`,
  );
  const differences = [];
  for (const [index, type] of TYPES.entries()) {
    const entry = family[index];
    const members = Object.keys(type.start);
    if (!isDeepStrictEqual([...entry.startRequired].sort(), [...members].sort())) {
      differences.push(`${type.name}: start_required ${entry.startRequired}, table ${members}`);
    }
    if (entry.code !== type.code) differences.push(`${type.name}: output code ${entry.code}, table ${type.code}`);
    if (entry.form !== type.form) differences.push(`${type.name}: output form ${entry.form}, table ${type.form}`);
  }
  expect(differences.length === 0, `family.toml and this script's table differ: ${differences.join("; ")}`);
  return `${names.length} types, the same names, required Start members, output codes and forms as family.toml`;
}

// ---------------------------------------------------------------------------------------------------------------------
// S3 and the output forms.

function parseS3Uri(uri) {
  const match = /^s3:\/\/([^/]+)\/(.*)$/.exec(uri ?? "");
  expect(match, `not an s3:// URI: ${JSON.stringify(uri)}`);
  return { bucket: match[1], key: match[2] };
}

async function getObject(s3, bucket, key) {
  const answer = await send(s3, new GetObjectCommand({ Bucket: bucket, Key: key }));
  return Buffer.from(await answer.Body.transformToByteArray());
}

/** The regular files of a tar archive (ustar, with pax or GNU long names), by name. Headers are 512-byte blocks. */
function untar(archive) {
  const files = new Map();
  const text = (block, start, length) => block.subarray(start, start + length).toString("utf8").replace(/\0.*$/s, "");
  let offset = 0;
  let longName = null;
  while (offset + 512 <= archive.length) {
    const header = archive.subarray(offset, offset + 512);
    if (header.every((byte) => byte === 0)) break;
    const size = parseInt(text(header, 124, 12).trim() || "0", 8);
    const type = String.fromCharCode(header[156] || 0x30);
    const prefix = text(header, 257, 6) === "ustar" ? text(header, 345, 155) : "";
    const name = longName ?? (prefix ? `${prefix}/${text(header, 0, 100)}` : text(header, 0, 100));
    const data = archive.subarray(offset + 512, offset + 512 + size);
    expect(data.length === size, `tar member ${name} is cut short: ${data.length} of ${size} bytes`);
    longName = null;
    if (type === "x") {
      longName = data.toString("utf8").match(/^\d+ path=(.*)$/m)?.[1] ?? null;
    } else if (type === "L") {
      longName = data.toString("utf8").replace(/\0.*$/s, "");
    } else if (type === "0" || type === "7") {
      files.set(name, data);
    }
    offset += 512 + Math.ceil(size / 512) * 512;
  }
  return files;
}

/** The output's files and their JSON lines, read as the type's form says. */
async function readOutput(s3, uri, form) {
  const { bucket, key } = parseS3Uri(uri);
  const files = new Map();
  if (form === "files") {
    expect(key.endsWith("/"), `output form files: expected a folder URI, got ${uri}`);
    let token;
    do {
      const page = await send(s3, new ListObjectsV2Command({ Bucket: bucket, Prefix: key, ContinuationToken: token }));
      for (const item of page.Contents ?? []) {
        files.set(item.Key.slice(key.length), await getObject(s3, bucket, item.Key));
      }
      token = page.NextContinuationToken;
    } while (token);
  } else {
    expect(key.endsWith("/output.tar.gz"), `output form ${form}: expected .../output.tar.gz, got ${uri}`);
    for (const [name, data] of untar(gunzipSync(await getObject(s3, bucket, key)))) files.set(name, data);
  }
  const parsed = new Map();
  for (const [name, data] of files) {
    const lines = data.toString("utf8").split("\n");
    if (lines.at(-1) === "") lines.pop();
    parsed.set(
      name,
      lines.map((text, index) => {
        try {
          return JSON.parse(text);
        } catch (error) {
          throw new CheckFailed(`${name} line ${index + 1} is not JSON (${error.message}): ${text.slice(0, 200)}`);
        }
      }),
    );
  }
  return parsed;
}

/** The file names the type's form puts its output in, for one input file. */
function expectedOutputNames(form, inputName) {
  return form === "archive" ? ["output"] : [`${inputName}.out`];
}

/** Every BeginOffset/EndOffset lies within the document and any Text beside them is the document's text between. */
function checkOffsets(document, node, where) {
  if (Array.isArray(node)) {
    node.forEach((item) => checkOffsets(document, item, where));
  } else if (node !== null && typeof node === "object") {
    if ("BeginOffset" in node || "EndOffset" in node) {
      // Offsets count characters (code points), as Python's str does; a JavaScript string counts UTF-16 units.
      const characters = Array.from(document);
      const { BeginOffset: begin, EndOffset: end } = node;
      expect(
        Number.isInteger(begin) && Number.isInteger(end) && 0 <= begin && begin <= end && end <= characters.length,
        `${where}: offsets ${begin}..${end} outside the document (${characters.length} characters): ` +
          JSON.stringify(node),
      );
      if ("Text" in node) {
        const between = characters.slice(begin, end).join("");
        expect(
          between === node.Text,
          `${where}: Text ${JSON.stringify(node.Text)} but the document has ${JSON.stringify(between)} ` +
            `at ${begin}..${end}`,
        );
      }
    }
    for (const value of Object.values(node)) checkOffsets(document, value, where);
  }
}

/** Checks every record of an output over one ONE_DOC_PER_LINE input file; answers the records' Line numbers. */
function checkRecords(type, files, inputName, documents) {
  const names = [...files.keys()].sort();
  const expected = expectedOutputNames(type.form, inputName);
  expect(
    isDeepStrictEqual(names, expected),
    `output files ${JSON.stringify(names)}, expected ${JSON.stringify(expected)}`,
  );
  const lines = [];
  for (const [name, records] of files) {
    for (const [index, record] of records.entries()) {
      const where = `${name} record ${index}`;
      expect(record.File === inputName, `${where}: File ${JSON.stringify(record.File)}, expected "${inputName}"`);
      expect(Number.isInteger(record.Line), `${where}: Line ${JSON.stringify(record.Line)} is not an integer`);
      expect(0 <= record.Line && record.Line < documents.length, `${where}: Line ${record.Line} names no document`);
      expect(!("ErrorCode" in record), `${where}: an error record: ${JSON.stringify(record)}`);
      expect(type.record in record, `${where}: no ${type.record}: ${JSON.stringify(record)}`);
      checkOffsets(documents[record.Line], record, where);
      lines.push(record.Line);
    }
  }
  return lines.sort((a, b) => a - b);
}

// ---------------------------------------------------------------------------------------------------------------------
// Comprehend: one type's operations, by the SDK's command names.

function commands(type) {
  const command = (name) => {
    const Command = comprehend[`${name}Command`];
    expect(typeof Command === "function", `the SDK has no ${name}Command`);
    return Command;
  };
  return {
    Start: command(`Start${type.name}DetectionJob`),
    Describe: command(`Describe${type.name}DetectionJob`),
    List: command(`List${type.name}DetectionJobs`),
    Stop: command(`Stop${type.name}DetectionJob`),
    properties: `${type.name}DetectionJobProperties`,
    list: `${type.name}DetectionJobPropertiesList`,
    arnResource: `${type.name.replace(/(?<=[a-z])(?=[A-Z])/g, "-").toLowerCase()}-detection-job`,
  };
}

async function describe(client, type, jobId) {
  const ops = commands(type);
  const answer = await send(client, new ops.Describe({ JobId: jobId }));
  const properties = answer[ops.properties];
  expect(properties, `Describe answered no ${ops.properties}: ${JSON.stringify(answer)}`);
  return properties;
}

/** Polls Describe until the job is in one of `states`; answers its properties and the states it went through. */
async function waitFor(client, type, jobId, states) {
  const deadline = performance.now() + JOB_TIMEOUT_SECONDS * 1000;
  const seen = [];
  for (;;) {
    const properties = await describe(client, type, jobId);
    if (seen.at(-1) !== properties.JobStatus) seen.push(properties.JobStatus);
    if (states.includes(properties.JobStatus)) return { properties, seen };
    expect(
      !END_STATES.has(properties.JobStatus),
      `job ${jobId} ended ${properties.JobStatus} (${properties.Message ?? "no message"}) waiting for ${states}`,
    );
    expect(performance.now() < deadline, `job ${jobId} still ${properties.JobStatus} after ${JOB_TIMEOUT_SECONDS} s`);
    await sleep(POLL_SECONDS * 1000);
  }
}

async function upload(s3, bucket, key, documents) {
  await send(s3, new PutObjectCommand({ Bucket: bucket, Key: key, Body: documents.map((d) => `${d}\n`).join("") }));
}

function startInput(type, account, bucket, prefix, jobName) {
  return {
    JobName: jobName,
    InputDataConfig: { S3Uri: `s3://${bucket}/${prefix}`, InputFormat: "ONE_DOC_PER_LINE" },
    OutputDataConfig: { S3Uri: `s3://${bucket}/out/` },
    DataAccessRoleArn: `arn:aws:iam::${account}:role/ComprehendDataAccess`,
    ...structuredClone(type.start),
  };
}

async function checkType(type, index, comprehendClient, s3, account, run) {
  const ops = commands(type);
  const bucket = `js-client-${type.name.toLowerCase()}-${run}`;
  const jobName = `js-client-${type.name}-${run}`;
  let job = null;
  let inputOk = false;

  await check(type.name, "input", async () => {
    await send(s3, new CreateBucketCommand({ Bucket: bucket }));
    await upload(s3, bucket, "small/docs.txt", DOCUMENTS);
    await upload(s3, bucket, "large/big.txt", STOP_DOCUMENTS);
    inputOk = true;
    return (
      `bucket ${bucket}: small/docs.txt (${DOCUMENTS.length} lines), ` +
      `large/big.txt (${STOP_DOCUMENTS.length} lines)`
    );
  });
  if (!inputOk) {
    for (const name of ["start", "describe", "list", "output", "stop", "isolation"]) skip(type.name, name, "no input");
    return;
  }

  const input = startInput(type, account, bucket, "small/", jobName);
  await check(type.name, "start", async () => {
    const answer = await send(comprehendClient, new ops.Start(input));
    expect(typeof answer.JobId === "string" && answer.JobId.length > 0, `no JobId: ${JSON.stringify(answer)}`);
    expect(
      answer.JobArn?.endsWith(`:${ops.arnResource}/${answer.JobId}`),
      `JobArn ${answer.JobArn} does not end in :${ops.arnResource}/${answer.JobId}`,
    );
    expect(
      ["SUBMITTED", "IN_PROGRESS"].includes(answer.JobStatus),
      `JobStatus ${answer.JobStatus}, expected SUBMITTED`,
    );
    job = answer;
    return `${ops.Start.name}: JobId ${answer.JobId}, ${answer.JobStatus}, ${answer.JobArn}`;
  });
  if (job === null) {
    for (const name of ["describe", "list", "output", "stop", "isolation"]) skip(type.name, name, "no job started");
    return;
  }

  let completed = null;
  await check(type.name, "describe", async () => {
    const { properties, seen } = await waitFor(comprehendClient, type, job.JobId, ["COMPLETED"]);
    expect(properties.JobId === job.JobId, `Describe's JobId ${properties.JobId}, expected ${job.JobId}`);
    expect(properties.JobName === jobName, `Describe's JobName ${properties.JobName}, expected ${jobName}`);
    expect(properties.JobArn === job.JobArn, `Describe's JobArn ${properties.JobArn}, Start's ${job.JobArn}`);
    expect(properties.SubmitTime instanceof Date, `SubmitTime ${properties.SubmitTime} is not a timestamp`);
    expect(properties.EndTime instanceof Date, `EndTime ${properties.EndTime} is not a timestamp`);
    expect(properties.EndTime >= properties.SubmitTime, `EndTime ${properties.EndTime} before SubmitTime`);
    expect(
      properties.InputDataConfig?.S3Uri === input.InputDataConfig.S3Uri,
      `InputDataConfig ${JSON.stringify(properties.InputDataConfig)}`,
    );
    for (const [member, value] of Object.entries(type.start)) {
      expect(
        isDeepStrictEqual(properties[member], value),
        `${member} ${JSON.stringify(properties[member])}, sent ${JSON.stringify(value)}`,
      );
    }
    if (!("LanguageCode" in type.start)) {
      expect(!("LanguageCode" in properties), `a type without LanguageCode answered one: ${properties.LanguageCode}`);
    }
    const folder = `${input.OutputDataConfig.S3Uri}${account}-${type.code}-${job.JobId}/output/`;
    const expected = folder + (type.form === "files" ? "" : "output.tar.gz");
    expect(
      properties.OutputDataConfig?.S3Uri === expected,
      `OutputDataConfig.S3Uri ${properties.OutputDataConfig?.S3Uri}, expected ${expected}`,
    );
    completed = properties;
    return `${ops.Describe.name}: ${seen.join(" -> ")}; output at ${properties.OutputDataConfig.S3Uri}`;
  });

  await check(type.name, "list", async () => {
    const answer = await send(comprehendClient, new ops.List({ Filter: { JobName: jobName } }));
    const jobs = answer[ops.list];
    expect(Array.isArray(jobs), `List answered no ${ops.list}: ${JSON.stringify(answer)}`);
    const ids = jobs.map((listed) => listed.JobId);
    expect(isDeepStrictEqual(ids, [job.JobId]), `List with JobName ${jobName} found ${JSON.stringify(ids)}`);
    return `${ops.List.name} (Filter JobName): ${ids.length} job, ${jobs[0].JobId} ${jobs[0].JobStatus}`;
  });

  if (completed === null) {
    skip(type.name, "output", "the job did not complete");
  } else {
    await check(type.name, "output", async () => {
      const files = await readOutput(s3, completed.OutputDataConfig.S3Uri, type.form);
      const lines = checkRecords(type, files, "docs.txt", DOCUMENTS);
      expect(
        isDeepStrictEqual(lines, DOCUMENTS.map((_, line) => line)),
        `records for Lines ${JSON.stringify(lines)}, expected one for each of 0..${DOCUMENTS.length - 1}`,
      );
      return (
        `${type.form}: ${[...files.keys()].join(", ")}; ` +
        `${lines.length} records, File, Line, ${type.record} and offsets checked`
      );
    });
  }

  await check(type.name, "stop", async () => {
    const large = startInput(type, account, bucket, "large/", `${jobName}-stop`);
    const started = await send(comprehendClient, new ops.Start(large));
    await waitFor(comprehendClient, type, started.JobId, ["IN_PROGRESS"]);
    await sleep(STOP_AFTER_SECONDS * 1000); // let it analyse some documents first
    const stopped = await send(comprehendClient, new ops.Stop({ JobId: started.JobId }));
    expect(
      stopped.JobId === started.JobId && stopped.JobStatus === "STOP_REQUESTED",
      `${ops.Stop.name} of an IN_PROGRESS job answered ` +
        `${JSON.stringify({ JobId: stopped.JobId, JobStatus: stopped.JobStatus })}, expected STOP_REQUESTED`,
    );
    const { properties, seen } = await waitFor(comprehendClient, type, started.JobId, [...END_STATES]);
    expect(
      properties.JobStatus === "STOPPED",
      `the stopped job ended ${properties.JobStatus}: ${properties.Message ?? "no message"}`,
    );
    const files = await readOutput(s3, properties.OutputDataConfig?.S3Uri, type.form);
    const lines = checkRecords(type, files, "big.txt", STOP_DOCUMENTS);
    expect(
      0 < lines.length && lines.length < STOP_DOCUMENTS.length,
      `${lines.length} of ${STOP_DOCUMENTS.length} documents in the output of a job stopped ${STOP_AFTER_SECONDS} s ` +
        "after it was IN_PROGRESS, expected some but not all (the default --pace fast analyses about 50 by then)",
    );
    expect(
      isDeepStrictEqual(lines, lines.map((_, i) => i)),
      `the records are not the first ${lines.length} documents: Lines ${JSON.stringify(lines.slice(0, 20))}...`,
    );
    return (
      `${ops.Stop.name} of IN_PROGRESS ${started.JobId}: STOP_REQUESTED; then ${seen.join(" -> ")}; ` +
      `output holds ${lines.length} of ${STOP_DOCUMENTS.length} documents`
    );
  });

  const other = TYPES[(index + 1) % TYPES.length];
  await check(type.name, "isolation", async () => {
    const otherOps = commands(other);
    let answer;
    try {
      answer = await send(comprehendClient, new otherOps.Stop({ JobId: job.JobId }));
    } catch (error) {
      expect(
        error.name === "JobNotFoundException",
        `${otherOps.Stop.name} of a ${type.name} job: expected JobNotFoundException, got ${describeError(error)}`,
      );
      const status = error.$metadata?.httpStatusCode;
      return `${otherOps.Stop.name} of ${type.name} job ${job.JobId}: ${error.name} (HTTP ${status})`;
    }
    throw new CheckFailed(
      `${otherOps.Stop.name} of a ${type.name} job succeeded: ` +
        JSON.stringify({ JobId: answer.JobId, JobStatus: answer.JobStatus }),
    );
  });
}

// ---------------------------------------------------------------------------------------------------------------------

function sdkVersion(name) {
  const manifest = new URL(`./node_modules/${name}/package.json`, import.meta.url);
  return JSON.parse(readFileSync(manifest, "utf8")).version;
}

async function main() {
  if (process.argv.length !== 3) {
    console.error("usage: node check.mjs READY-FILE   (the JSON `comprehend-contract serve --ready-file` writes)");
    return 2;
  }
  const ready = JSON.parse(readFileSync(process.argv[2], "utf8"));
  const [account] = ready.accounts;
  const credentials = { accessKeyId: account.access_key_id, secretAccessKey: account.secret_access_key };
  const began = performance.now();
  console.log(
    `js-client: @aws-sdk/client-comprehend ${sdkVersion("@aws-sdk/client-comprehend")}, ` +
      `@aws-sdk/client-s3 ${sdkVersion("@aws-sdk/client-s3")}, Node.js ${process.versions.node}; ` +
      `Comprehend ${ready.endpoint_url}, S3 ${ready.s3_endpoint_url}, ${ready.region}, account ${account.account_id}`,
  );

  if (!(await check("family", "table", async () => checkTableAgainstFamily()))) return 1;

  const comprehendClient = new comprehend.ComprehendClient({
    region: ready.region,
    endpoint: ready.endpoint_url,
    credentials,
  });
  const s3 = new S3Client({ region: ready.region, endpoint: ready.s3_endpoint_url, credentials, forcePathStyle: true });
  const run = randomBytes(4).toString("hex");
  for (const [index, type] of TYPES.entries()) {
    await checkType(type, index, comprehendClient, s3, account.account_id, run);
  }
  comprehendClient.destroy();
  s3.destroy();

  const seconds = ((performance.now() - began) / 1000).toFixed(1);
  const total = results.passed + results.failed + results.skipped;
  console.log(
    `js-client: ${total} checks over ${TYPES.length} types: ${results.passed} passed, ${results.failed} failed, ` +
      `${results.skipped} skipped (${seconds} s)`,
  );
  return results.failed + results.skipped === 0 ? 0 : 1;
}

try {
  process.exitCode = await main();
} catch (error) {
  console.log(`FAIL js-client stopped early: ${describeError(error)}`);
  console.log(error.stack);
  process.exitCode = 1;
}
