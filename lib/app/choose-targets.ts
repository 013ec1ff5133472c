/**
 * Choosing each image's target version from the repository's tags: the tags are read once per event
 * (per attempt, after a lost race) and shared by every app; manifest details (platforms, build times)
 * are read only when a policy needs them, once.
 */

import type { ImageRegistration } from '../domain/registration/registration.ts';
import { type Selection, selectTag } from '../domain/tags/select-tag.ts';
import type { TagCandidate } from '../domain/tags/tag-candidate.ts';
import type { TagPolicy } from '../domain/tags/tag-policy.ts';
import { summarizeVerdicts, type VerdictSummary } from '../domain/tags/verdict-summary.ts';
import type { ImageTarget } from '../domain/updates/image-update.ts';
import type { ImageDecisionRecord } from './outcomes.ts';
import type { DetailNeeds, ImageCatalog, RepositoryRef } from './ports.ts';

/** What choosing gave for an attempt: targets, the reasons of images without one, and why, per image. */
export interface Choice {
  readonly targets: readonly ImageTarget[];
  readonly none: readonly ImageDecisionRecord[];
  /** Per image (alias or name): the tags considered, the one chosen, why the others were skipped. */
  readonly explained: ReadonlyMap<string, VerdictSummary>;
}

/** The targets of an app's images (and the reasons of those without one), for an attempt. */
export type TargetChooser = (attempt: number) => Promise<Choice>;

export class TagSource {
  private readonly lists = new Map<number, Promise<TagCandidate[]>>();
  private readonly detailed = new Map<string, Promise<TagCandidate[]>>();
  private readonly selections = new Map<number, Map<TagPolicy, Promise<Selection>>>();

  constructor(
    private readonly catalog: ImageCatalog,
    private readonly repository: RepositoryRef,
  ) {}

  list(
    attempt: number,
    needs: DetailNeeds = { platforms: false, createdAt: false },
  ): Promise<TagCandidate[]> {
    let list = this.lists.get(attempt);
    if (!list) {
      list = this.catalog.listTags(this.repository);
      this.lists.set(attempt, list);
    }
    if (!needs.platforms && !needs.createdAt && !needs.scan) return list;
    const key = `${attempt}:${needs.platforms}:${needs.createdAt}:${needs.scan === true}:${needs.wantedPlatforms?.join(',') ?? ''}`;
    let detailed = this.detailed.get(key);
    if (!detailed) {
      detailed = list.then((candidates) => this.catalog.addDetails(this.repository, candidates, needs));
      this.detailed.set(key, detailed);
    }
    return detailed;
  }

  /**
   * The policy's choice among the tags of an attempt. Apps that follow a repository mostly share a
   * policy (one object per distinct settings), so each distinct policy judges the tags once, not once
   * per app; the choice is a function of the policy and the tags alone.
   */
  select(policy: TagPolicy, attempt: number): Promise<Selection> {
    let byPolicy = this.selections.get(attempt);
    if (!byPolicy) {
      byPolicy = new Map();
      this.selections.set(attempt, byPolicy);
    }
    let selection = byPolicy.get(policy);
    if (!selection) {
      selection = this.list(attempt, policy.needs).then((candidates) => selectTag(policy, candidates));
      byPolicy.set(policy, selection);
    }
    return selection;
  }
}

/** A chooser for `images`, remembering the first attempt's answer so it is computed once. */
export function targetChooser(images: readonly ImageRegistration[], tags: TagSource): TargetChooser {
  let first: ReturnType<TargetChooser> | undefined;
  return (attempt) => {
    if (attempt === 1) {
      first ??= chooseTargets(images, tags, 1);
      return first;
    }
    return chooseTargets(images, tags, attempt);
  };
}

async function chooseTargets(
  images: readonly ImageRegistration[],
  tags: TagSource,
  attempt: number,
): Promise<Choice> {
  const targets: ImageTarget[] = [];
  const none: ImageDecisionRecord[] = [];
  const explained = new Map<string, VerdictSummary>();
  for (const image of images) {
    const selection = await tags.select(image.policy, attempt);
    const name = image.alias ?? image.imageName;
    const chosen = selection.kind === 'selected' ? selection.candidate.tag : undefined;
    explained.set(name, summarizeVerdicts(selection.verdicts, chosen));
    if (selection.kind === 'none') none.push({ image: name, kind: 'none', reason: selection.reason });
    else
      targets.push({
        image,
        tag: selection.candidate.tag,
        ...(selection.candidate.digest ? { digest: selection.candidate.digest } : {}),
      });
  }
  return { targets, none, explained };
}
