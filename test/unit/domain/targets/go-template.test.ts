import { describe, expect, it } from 'vitest';
import { compileGoTemplate, TemplateError } from '../../../../lib/domain/targets/go-template.ts';

const render = (source: string, data: unknown) => compileGoTemplate(source).render(data);

describe('compileGoTemplate', () => {
  it('renders Argo CD Image Updater’s default commit message as Go does', () => {
    const template =
      "build: automatic update of {{ .AppName }}\n\n{{ range .AppChanges -}}\nupdates image {{ .Image }} tag '{{ .OldTag }}' to '{{ .NewTag }}'\n{{ end -}}\n";
    const data = {
      AppName: 'flask-app',
      AppChanges: [
        { Image: 'flask-app', OldTag: '1.0.0', NewTag: '1.0.2' },
        { Image: 'worker', OldTag: '', NewTag: '2.0.0' },
      ],
    };
    expect(render(template, data)).toBe(
      "build: automatic update of flask-app\n\nupdates image flask-app tag '1.0.0' to '1.0.2'\nupdates image worker tag '' to '2.0.0'\n",
    );
  });

  it('renders a write-branch template with range, nested fields and the SHA256', () => {
    expect(
      render('image-updater{{range .Images}}-{{.Name}}-{{.NewTag}}{{end}}', {
        Images: [{ Name: 'flask-app', NewTag: '1.0.2' }],
      }),
    ).toBe('image-updater-flask-app-1.0.2');
    expect(render('updates/{{.SHA256}}', { SHA256: 'abc' })).toBe('updates/abc');
    expect(render('{{.A.B}}', { A: { B: 'x' } })).toBe('x');
  });

  it('renders if and else on truthiness, and drops comments', () => {
    expect(render('{{if .Alias}}{{.Alias}}{{else}}no alias{{end}}{{/* note */}}', { Alias: '' })).toBe(
      'no alias',
    );
    expect(render('{{if .List}}some{{end}}', { List: [1] })).toBe('some');
  });

  it('trims around {{- and -}}', () => {
    expect(render('a  \n {{- .X -}}  \n b', { X: 'x' })).toBe('axb');
  });

  it.each([
    ['{{ printf "%s" .X }}', 'not supported'],
    ['{{ .X | upper }}', 'not supported'],
    ['{{ range .X }}', 'is missing'],
    ['{{ end }}', 'unexpected {{end}}'],
    ['{{ .X ', 'is not closed'],
  ])('refuses %j', (source, problem) => {
    expect(() => compileGoTemplate(source)).toThrow(TemplateError);
    expect(() => compileGoTemplate(source)).toThrow(problem);
  });

  it('refuses to render a field the data does not have', () => {
    expect(() => render('{{.Nope}}', { AppName: 'a' })).toThrow(
      'the template names .Nope, which is not defined',
    );
  });
});
