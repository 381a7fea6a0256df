// The optimizer race tab: the function chooser, the map (a click sets the start), replay and default start.
import { FUNCTIONS, FUNCTION_NAMES, type FunctionName } from '../race/functions.js';
import type { RacePath } from '../race/racers.js';
import { RaceView } from '../race/view.js';
import type { PageContext } from './context.js';
import { $, fillSelect } from './dom.js';

export class RacePanel {
  private readonly view: RaceView;

  constructor(
    private readonly page: PageContext,
    /** Asks the worker to run a race; its paths come back through `paths`. */
    private readonly run: (fn: FunctionName, start: [number, number]) => void,
  ) {
    this.view = new RaceView($<HTMLCanvasElement>('race-canvas'), $('race-legend'), $('race-step'), (x, y) => {
      page.state.raceStart = [x, y];
      page.writeUrl();
      this.request();
    });
    const select = $<HTMLSelectElement>('race-fn');
    fillSelect(select, FUNCTION_NAMES, (v) => FUNCTIONS[v].label);
    select.value = page.state.raceFunction;
    select.addEventListener('change', () => {
      page.state.raceFunction = select.value as FunctionName;
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
    const fn = FUNCTIONS[this.page.state.raceFunction];
    this.view.setFunction(fn);
    $('race-formula').textContent = fn.formula;
    this.run(fn.name, this.page.state.raceStart ?? [fn.start[0], fn.start[1]]);
  }

  /** The worker's answer; an answer for a function no longer shown is dropped. */
  paths(fn: FunctionName, start: [number, number], paths: RacePath[]): void {
    if (fn === this.page.state.raceFunction) this.view.setPaths(start, paths);
  }
}
