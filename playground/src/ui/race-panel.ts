// The optimizer race tab: the function chooser, the map (a click sets the start), replay and default start.
import { FUNCTION_NAMES, testFunction, TEST_FUNCTIONS } from '../../../src/viz/functions.js';
import type { RacePath } from '../../../src/viz/race.js';
import { RaceView } from '../race/view.js';
import type { PageContext } from './context.js';
import { $, fillSelect } from './dom.js';

export class RacePanel {
  private readonly view: RaceView;

  constructor(
    private readonly page: PageContext,
    /** Asks the worker to run a race; its paths come back through `paths`. */
    private readonly run: (fn: string, start: [number, number]) => void,
  ) {
    this.view = new RaceView($<HTMLCanvasElement>('race-canvas'), $('race-legend'), $('race-step'), (x, y) => {
      page.state.raceStart = [x, y];
      page.writeUrl();
      this.request();
    });
    const select = $<HTMLSelectElement>('race-fn');
    fillSelect(select, FUNCTION_NAMES, (v) => testFunction(v)!.title);
    select.value = page.state.raceFunction;
    select.addEventListener('change', () => {
      page.state.raceFunction = select.value;
      page.state.raceStart = null;
      page.writeUrl();
      this.request();
    });
    $('race-replay').addEventListener('click', () => this.request());
    $('race-default-start').addEventListener('click', () => {
      page.state.raceStart = null;
      page.writeUrl();
      this.request();
    });
  }

  /** Shows the state's function and asks for its race from the state's start point. */
  request(): void {
    const fn = testFunction(this.page.state.raceFunction) ?? TEST_FUNCTIONS[0]!;
    this.view.setFunction(fn);
    this.run(fn.name, this.page.state.raceStart ?? [fn.start[0], fn.start[1]]);
  }

  /** The worker's answer; an answer for a function no longer shown is dropped. */
  paths(fn: string, start: [number, number], paths: RacePath[]): void {
    if (fn === this.page.state.raceFunction) this.view.setPaths(start, paths);
  }
}
