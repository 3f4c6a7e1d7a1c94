import { splitChoices } from './meeting-type-form.js';
import { previewView, questionRows, sectionsView } from './type-editor-view.js';

describe('sectionsView', () => {
  it.each<[Record<string, string>, string[]]>([
    [{}, []],
    [{ name: 'x' }, ['basics']],
    [{ location_type: 'x', buffer_before_minutes: 'x' }, ['basics', 'availability']],
    [{ max_bookings_per_week: 'x', cancellation_cutoff_minutes: 'x' }, ['limits']],
    [{ q_options_3: 'x' }, ['questions']],
    [{ r_to_0: 'x', destination: 'x' }, ['notifications']],
    [{ requires_confirmation: 'x', host_ids: 'x', recurrence_max_occurrences: 'x' }, ['advanced']],
    [{ booking_window_type: 'x' }, ['availability']],
    [{ form: 'x' }, []], // a problem with the whole form flags no section
  ])('%j flags %j', (errors, flagged) => {
    expect(
      sectionsView(errors)
        .filter((s) => s.hasError)
        .map((s) => s.id),
    ).toEqual(flagged);
  });

  it('lists the six sections in page order', () => {
    expect(sectionsView({}).map((s) => s.label)).toEqual(['Basics', 'Availability', 'Limits', 'Questions', 'Notifications', 'Advanced']);
  });
});

describe('questionRows', () => {
  it('shows the stored questions, their choices one per line, and two blank rows', () => {
    const rows = questionRows(
      [{ id: 'topic', label: 'Topic', type: 'single_choice', required: true, options: ['A, B', 'C'] }],
      null,
      0,
      {},
    );
    expect(rows).toHaveLength(3);
    expect(rows[0]).toMatchObject({ id: 'topic', label: 'Topic', options: 'A, B\nC', required: true });
    expect(rows[1]).toMatchObject({ id: '', label: '', required: false });
  });
});

describe('splitChoices', () => {
  it.each<[string, string[]]>([
    ['Sales\nSupport, billing\n', ['Sales', 'Support, billing']],
    ['Sales, Support', ['Sales', 'Support']],
    ['Sales\r\n\r\nSupport', ['Sales', 'Support']],
    ['', []],
  ])('%j -> %j', (text, choices) => expect(splitChoices(text)).toEqual(choices));
});

describe('previewView', () => {
  const base = {
    hostName: 'Ada',
    name: 'Intro',
    description: '',
    durationMinutes: 30,
    durations: [
      { value: 30, checked: false, isDefault: true },
      { value: 60, checked: false, isDefault: false },
    ],
    locationType: '',
    locationValue: '',
    requiresConfirmation: false,
    active: true,
    secret: false,
    questions: [],
    savedHref: null,
  };

  it('names the place with its detail, but not for a link made per booking', () => {
    expect(previewView({ ...base, locationType: 'phone', locationValue: '+1 555' }).place).toBe('Phone: +1 555');
    expect(previewView({ ...base, locationType: 'zoom', locationValue: 'left over' }).place).toBe('Zoom');
    expect(previewView(base).place).toBe('');
  });

  it('lists lengths only when there is a choice, and questions with a label only', () => {
    expect(previewView(base).lengths).toEqual([]);
    const picked = previewView({ ...base, durations: [base.durations[0], { ...base.durations[1], checked: true }] });
    expect(picked.lengths).toEqual([
      { label: '30 min', isDefault: true },
      { label: '60 min', isDefault: false },
    ]);
    const asked = previewView({
      ...base,
      questions: [
        { label: 'Company', required: true, types: [{ label: 'Short text', selected: true }] },
        { label: '', required: false, types: [{ label: 'Short text', selected: true }] },
      ],
    });
    expect(asked.questions).toEqual([{ label: 'Company', typeLabel: 'Short text', required: true }]);
  });

  it('calls an untitled type so and leaves out a length that is not a whole positive number', () => {
    expect(previewView({ ...base, name: '', durationMinutes: Number('abc') })).toMatchObject({ name: 'Untitled meeting', length: '' });
  });
});
