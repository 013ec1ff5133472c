import { InvalidInputError, quoteInput } from '../../lib/domain/errors.ts';
import { parseImageSpec } from '../../lib/domain/images/image-spec.ts';
import { parseCandidates } from '../../lib/domain/tags/parse-candidates.ts';
import { type Selection, selectTag } from '../../lib/domain/tags/select-tag.ts';
import type { TagCandidate } from '../../lib/domain/tags/tag-candidate.ts';
import { buildTagPolicy, type TagPolicy } from '../../lib/domain/tags/tag-policy.ts';
import { type Command, parseFlags, refuseExtraArguments } from '../command.ts';
import { EXIT } from '../io.ts';
import { readInput } from '../read-input.ts';

const FLAG = {
  strategy: '--strategy',
  constraint: '--image (the text after :)',
  allowTags: '--allow-tags',
  ignoreTags: '--ignore-tags',
  platforms: '--platforms',
  sortBy: '--sort-by',
  scanGate: '--scan-gate',
} as const;

const FLAGS = {
  image: { type: 'string' },
  candidates: { type: 'string' },
  strategy: { type: 'string' },
  'allow-tags': { type: 'string' },
  'ignore-tags': { type: 'string' },
  platforms: { type: 'string' },
  'sort-by': { type: 'string' },
  'scan-gate': { type: 'string' },
  explain: { type: 'boolean' },
} as const;

export const selectCommand: Command = {
  name: 'select',
  accepts: { flags: FLAGS },
  help: `Usage: ecr-image-updater select --image <[alias=]repo[:constraint]> --candidates <file.json | -> [options]

Picks the tag that Argo CD Image Updater would pick for the same image spec, strategy and filters,
and prints one JSON line: {"tag": "1.0.4", "digest": "sha256:..."} (digest when known), or
{"tag": null, "reason": "..."} when no tag qualifies. Both exit 0.

Options:
  --image <spec>          [alias=]registry/repository[:constraint]. The text after ':' is the semver
                          constraint (~1.0, >=1.2 <2, ^1.4 || 2.x, 1.2 - 1.4.5), or for the digest
                          strategy the tag to follow (my-repo:latest).
  --candidates <file|->   JSON array of {"tag", "digest"?, "pushedAt"?, "createdAt"?, "platforms"?, "scan"?}
                          (pushedAt/createdAt ISO-8601, platforms ["linux/amd64", ...], scan {"status",
                          "findings"?: {"HIGH": 1}}), or the output of
                          'aws ecr describe-images'. '-' reads standard input.
  --strategy <name>       semver (default): highest version in the constraint; pre-releases only when
                            the constraint names one (~1.0.x-0).
                          newest-build: most recently pushed (ties: greatest tag). Old name: latest.
                          alphabetical: greatest tag in byte order. Old name: name.
                          digest: the named tag; answers its digest.
  --allow-tags <expr>     'regexp:<RE2 expression>' (matches anywhere in the tag) or 'any'.
  --ignore-tags <globs>   comma-separated globs on the whole tag (* ? [a-z] [^a-z] \\); '*' pauses.
  --platforms <list>      comma-separated os/arch[/variant]; keeps tags whose image offers one.
  --sort-by <order>       newest-build only: pushed (default) or created (the image's build time).
  --scan-gate <limits>    keeps tags whose scan is complete with at most these findings per severity:
                          CRITICAL=0,HIGH=2 (a severity not named is unlimited), or 'complete'.
  --explain               print each candidate, kept or dropped and why, to standard error.
  -h, --help              this help.

Exit codes: 0 a tag or a reasoned "none"; 2 invalid input (the message names the field and the fix).

Examples:
  ecr-image-updater select --image flask-app:~1.0 --candidates tags.json
  aws ecr describe-images --repository-name flask-app | \\
    ecr-image-updater select --image flask-app --strategy newest-build --candidates -
`,
  async run(args, io) {
    const { values, positionals } = parseFlags('select', args, FLAGS);
    if (values.help) {
      io.stdout(this.help);
      return EXIT.ok;
    }
    refuseExtraArguments('select', positionals, 0);
    if (values.image === undefined)
      throw new InvalidInputError('--image', 'is required', 'e.g. --image flask-app:~1.0');
    if (values.candidates === undefined) {
      throw new InvalidInputError(
        '--candidates',
        'is required',
        "give a JSON file, or '-' to read standard input",
      );
    }
    const spec = parseImageSpec(values.image, '--image');
    const policy = buildTagPolicy(
      {
        strategy: values.strategy,
        constraint: spec.constraint,
        allowTags: values['allow-tags'],
        ignoreTags: values['ignore-tags'],
        platforms: values.platforms,
        sortBy: values['sort-by'],
        scanGate: values['scan-gate'],
      },
      (setting) => FLAG[setting],
    );
    const candidates = await readCandidates(values.candidates, io.readStdin);
    const selection = selectTag(policy, candidates);
    if (values.explain) io.stderr(explain(policy, selection));
    io.stdout(`${JSON.stringify(toOutput(selection))}\n`);
    return EXIT.ok;
  },
};

async function readCandidates(source: string, readStdin: () => Promise<string>): Promise<TagCandidate[]> {
  const text = await readInput(source, '--candidates', readStdin, 'give a readable JSON file or -');
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    const detail = error instanceof Error ? error.message : String(error);
    throw new InvalidInputError(
      '--candidates',
      `${quoteInput(source)} is not JSON (${detail})`,
      'give a JSON array of candidates',
    );
  }
  return parseCandidates(json, '--candidates');
}

/** The one JSON line `select` prints. */
export function toOutput(selection: Selection) {
  if (selection.kind === 'none') return { tag: null, reason: selection.reason };
  const { tag, digest } = selection.candidate;
  return digest === undefined ? { tag } : { tag, digest };
}

/** The explanation: the policy, then each candidate with its verdict, aligned. */
export function explain(policy: TagPolicy, selection: Selection): string {
  const parts = [`strategy ${policy.strategy}`];
  if (policy.constraint) parts.push(`constraint '${policy.constraint.text}'`);
  if (policy.trackedTag) parts.push(`tracking tag '${policy.trackedTag}'`);
  parts.push(...policy.filters.map((filter) => filter.description));
  const width = Math.min(40, Math.max(3, ...selection.verdicts.map((v) => v.tag.length)));
  const lines = [
    parts.join(', '),
    ...policy.notes.map((note) => `note: ${note}`),
    ...selection.verdicts.map(
      (v) => `  ${v.tag.padEnd(width)}  ${v.kept ? 'kept   ' : 'dropped'}  ${v.reason}`,
    ),
    selection.kind === 'selected' ? `=> ${selection.candidate.tag}` : `=> no update: ${selection.reason}`,
  ];
  return `${lines.join('\n')}\n`;
}
