import { describe, expect, it } from 'vitest';
import { InvalidInputError } from '../../../../lib/domain/errors.ts';
import {
  branchTemplateData,
  changeSha256,
  commitTemplateData,
  compileChangeTemplate,
} from '../../../../lib/domain/targets/change-templates.ts';

const IMAGE = '123456789012.dkr.ecr.us-west-2.amazonaws.com/flask-app';

describe('change templates', () => {
  it('gives commit templates Argo CD Image Updater’s field names', () => {
    expect(commitTemplateData('flask-app', [{ imageName: IMAGE, from: '1.0.0', to: '1.0.2' }])).toEqual({
      AppName: 'flask-app',
      AppChanges: [{ Image: IMAGE, Alias: '', OldTag: '1.0.0', NewTag: '1.0.2' }],
    });
  });

  it('gives branch templates the image name without its registry, and a SHA256 of the change', () => {
    const data = branchTemplateData('flask-app', [{ alias: 'flask', imageName: IMAGE, to: '1.0.2' }]);
    expect(data.Images).toEqual([{ Name: 'flask-app', Alias: 'flask', OldTag: '', NewTag: '1.0.2' }]);
    expect(data.SHA256).toMatch(/^[0-9a-f]{64}$/);
  });

  it('hashes what a change moves where, not where it came from', () => {
    const to102 = changeSha256('a', [{ imageName: IMAGE, from: '1.0.0', to: '1.0.2' }]);
    expect(changeSha256('a', [{ imageName: IMAGE, from: '1.0.1', to: '1.0.2' }])).toBe(to102);
    expect(changeSha256('a', [{ imageName: IMAGE, to: '1.0.3' }])).not.toBe(to102);
    expect(changeSha256('b', [{ imageName: IMAGE, to: '1.0.2' }])).not.toBe(to102);
  });

  it('refuses a template that cannot render, naming the field and the fields it may use', () => {
    const attempt = () => compileChangeTemplate('x-{{.Version}}', 'writeBack.git.writeBranch', 'branch');
    expect(attempt).toThrow(InvalidInputError);
    expect(attempt).toThrow(
      'writeBack.git.writeBranch: the template does not work: the template names .Version, which is not defined; use {{...}} with .AppName, .Images (.Name .Alias .OldTag .NewTag), .SHA256',
    );
  });
});
