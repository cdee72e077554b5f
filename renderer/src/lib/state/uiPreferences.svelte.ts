/** Choices of this screen only (not engine settings): whether to ask the model or search only. */
export class UiPreferences {
  useModel = $state(true);
}
