import { parseImageSpec } from '../../lib/domain/image-spec.ts';
import { selectTag } from '../../lib/domain/select-tag.ts';
import type { TagCandidate } from '../../lib/domain/tag-candidate.ts';
import { buildTagPolicy } from '../../lib/domain/tag-policy.ts';
import { type Command, parseFlags } from '../command.ts';
import { EXIT } from '../io.ts';
import { explain, toOutput } from './select.ts';

const REGISTRY = '123456789012.dkr.ecr.us-west-2.amazonaws.com';
const at = (minute: number) => Date.UTC(2026, 10, 16, 1, minute);
const digest = (n: number) => `sha256:${String(n).repeat(64).slice(0, 64)}`;

interface Scene {
  readonly title: string;
  readonly image: string;
  readonly strategy: string;
  readonly candidates: readonly TagCandidate[];
}

// The examples of the seed's tutorial (devopscube/argocd-image-updater), on embedded data.
const SCENES: readonly Scene[] = [
  {
    title: 'semver with ~1.0 takes the highest 1.0.x',
    image: `${REGISTRY}/flask-app:~1.0`,
    strategy: 'semver',
    candidates: ['1.0.0', '1.0.4', '1.2.0', '2.0.0', 'latest'].map((tag, i) => ({
      tag,
      digest: digest(i + 1),
      pushedAt: at(i),
    })),
  },
  {
    title: 'newest-build takes the last pushed: 1.0.1, then 1.0.4, then 1.0.3',
    image: `${REGISTRY}/flask-app`,
    strategy: 'newest-build',
    candidates: ['1.0.1', '1.0.4', '1.0.3'].map((tag, i) => ({
      tag,
      digest: digest(i + 1),
      pushedAt: at(10 + i),
    })),
  },
  {
    title: 'alphabetical takes the greatest tag in byte order',
    image: `${REGISTRY}/flask-app`,
    strategy: 'alphabetical',
    candidates: ['dev', 'stage', 'prod'].map((tag, i) => ({ tag, digest: digest(i + 1) })),
  },
  {
    title: 'digest follows a mutable tag and answers its digest',
    image: `${REGISTRY}/flask-app:latest`,
    strategy: 'digest',
    candidates: [
      { tag: 'latest', digest: digest(7), pushedAt: at(30) },
      { tag: '1.0.4', digest: digest(2), pushedAt: at(20) },
    ],
  },
];

export const demoCommand: Command = {
  name: 'demo',
  summary: 'show tag selection on the seed tutorial examples (no AWS account needed)',
  help: `Usage: ecr-image-updater demo

Runs the tag selection on the examples of the seed tutorial (flask-app on ECR) with embedded data,
and prints, for each, every candidate with why it was kept or dropped and the tag chosen.
`,
  async run(args, io) {
    const { values } = parseFlags('demo', args, {});
    if (values.help) {
      io.stdout(this.help);
      return EXIT.ok;
    }
    for (const scene of SCENES) {
      const spec = parseImageSpec(scene.image);
      const policy = buildTagPolicy({ strategy: scene.strategy, constraint: spec.constraint });
      const selection = selectTag(policy, scene.candidates);
      io.stdout(
        `\n# ${scene.title}\n$ ecr-image-updater select --image ${scene.image} --strategy ${scene.strategy} --explain\n`,
      );
      io.stdout(explain(policy, selection));
      io.stdout(`${JSON.stringify(toOutput(selection))}\n`);
    }
    return EXIT.ok;
  },
};
