import {
  CognitoError,
  confirmForgotPassword,
  confirmSignUp,
  forgotPassword,
  resendConfirmationCode,
  signInWithPassword,
  signUp,
  type CodeDelivery,
  type SignInStep,
} from '../auth/cognito';
import { signInLocally } from '../auth/local';
import { sessionFromToken, type Session } from '../auth/session';
import type { AuthConfig } from '../config';
import { DISPLAY_NAME_MAX } from '../../../lambdas/domain/display-name';
import { t } from '../i18n';
import { h, replaceChildren, setText } from './dom';

/** Input the form refuses before asking Cognito. */
class InputError extends Error {}

/**
 * The sign-in screen. Locally: a name is enough (the local identity
 * provider vouches for anyone). Deployed: email and password against the
 * user pool, then a new password or an authenticator code when Cognito asks;
 * creating an account (unless the pool is invite-only) with the code
 * Cognito emails; and setting a new password with an emailed code.
 */
export function renderSignIn(root: HTMLElement, auth: AuthConfig, onSignedIn: (session: Session) => void, message?: string): void {
  const error = h('p', { className: 'form-error', role: 'alert' }, message ?? '');
  const text = t().signIn;
  const card = h('main', { id: 'main', className: 'sign-in' }, h('h1', { className: 'brand' }, t().app.brand));
  replaceChildren(root, card);

  const fail = (text: string) => setText(error, text);
  const busy = (form: HTMLFormElement, on: boolean) => {
    for (const control of form.querySelectorAll<HTMLButtonElement | HTMLInputElement>('button, input')) control.disabled = on;
    form.setAttribute('aria-busy', String(on));
  };

  if (auth.kind === 'local') {
    const name = h('input', { id: 'sign-in-name', name: 'name', required: true, maxlength: 64, autocomplete: 'nickname', autofocus: true });
    const form = h(
      'form',
      { className: 'sign-in-form', 'aria-labelledby': 'sign-in-title' },
      h('h2', { id: 'sign-in-title' }, text.title),
      h('p', { className: 'hint' }, text.localHint),
      h('label', { for: 'sign-in-name' }, text.yourName),
      name,
      h('button', { type: 'submit' }, text.title),
      error,
    );
    form.addEventListener('submit', (event) => {
      event.preventDefault();
      const value = name.value.trim();
      if (value === '') return fail(text.enterName);
      busy(form, true);
      signInLocally(auth.tokenUrl, value)
        .then((token) => onSignedIn(sessionFromToken('local', token, undefined, { signInName: value })))
        .catch((e: unknown) => {
          busy(form, false);
          fail(e instanceof Error ? e.message : text.failed);
        });
    });
    card.append(form);
    name.focus();
    return;
  }

  const settings = { region: auth.region, userPoolId: auth.userPoolId, clientId: auth.clientId };
  const failWith = (e: unknown, fallback: string) => fail(e instanceof CognitoError || e instanceof InputError ? e.message : fallback);
  const PASSWORD_HINT = text.passwordHint;

  /** One step of the flow: a titled form, its fields, and links to the other steps. */
  const show = (options: {
    readonly title: string;
    readonly hint?: string;
    readonly fields: ReadonlyArray<readonly [label: string, input: HTMLInputElement]>;
    readonly submit: string;
    readonly onSubmit: () => Promise<void>;
    readonly links?: ReadonlyArray<readonly [text: string, go: () => void]>;
    readonly notice?: string;
  }): void => {
    const form = h(
      'form',
      { className: 'sign-in-form', 'aria-labelledby': 'sign-in-title' },
      h('h2', { id: 'sign-in-title' }, options.title),
      ...(options.notice === undefined ? [] : [h('p', { className: 'notice', role: 'status' }, options.notice)]),
      ...(options.hint === undefined ? [] : [h('p', { className: 'hint' }, options.hint)]),
      ...options.fields.flatMap(([label, input]) => [h('label', { for: input.id }, label), input]),
      h('button', { type: 'submit' }, options.submit),
      error,
      ...(options.links ?? []).map(([text, go]) =>
        h('button', { type: 'button', className: 'link-button', onclick: () => { fail(''); go(); } }, text),
      ),
    );
    form.addEventListener('submit', (event) => {
      event.preventDefault();
      fail('');
      busy(form, true);
      options.onSubmit().catch((e: unknown) => {
        busy(form, false);
        failWith(e, text.somethingWrong);
      });
    });
    replaceChildren(card, h('h1', { className: 'brand' }, t().app.brand), form);
    options.fields[0]?.[1].focus();
  };

  const input = (id: string, props: Record<string, string | number | boolean>, value = '') => {
    const element = h('input', { id, name: id, required: true, ...props });
    element.value = value;
    return element;
  };
  const emailInput = (id: string, value = '') => input(id, { type: 'email', autocomplete: 'username', maxlength: 254 }, value);
  const codeInput = (id: string) => input(id, { inputmode: 'numeric', autocomplete: 'one-time-code', pattern: '[0-9]{6}', maxlength: 6 });
  const newPasswordInput = (id: string) => input(id, { type: 'password', autocomplete: 'new-password', minlength: 12 });
  const sentTo = (delivery: CodeDelivery, what: 'confirmationCode' | 'newCode' | 'code') => text.emailedTo(what, delivery.destination);

  /** Shows the next step Cognito asks for, or finishes. */
  const proceed = (step: SignInStep): void => {
    if (step.kind === 'signedIn') {
      onSignedIn(sessionFromToken('cognito', step.tokens.idToken, step.tokens.refreshToken, { accessToken: step.tokens.accessToken }));
      return;
    }
    const newPassword = step.kind === 'newPasswordRequired';
    const answer = newPassword ? newPasswordInput('sign-in-answer') : codeInput('sign-in-answer');
    show({
      title: newPassword ? text.newPasswordTitle : text.authenticatorTitle,
      hint: newPassword ? text.newPasswordHint(PASSWORD_HINT) : text.authenticatorHint,
      fields: [[newPassword ? text.newPassword : text.code, answer]],
      submit: text.continue,
      onSubmit: async () => proceed(await step.respond(answer.value)),
    });
  };

  const signInWith = async (email: string, password: string) => proceed(await signInWithPassword(settings, email, password));

  const showSignIn = (emailValue = '', notice?: string): void => {
    const email = emailInput('sign-in-email', emailValue);
    const password = input('sign-in-password', { type: 'password', autocomplete: 'current-password' });
    show({
      title: text.title,
      ...(notice === undefined ? {} : { notice }),
      fields: [
        [text.email, email],
        [text.password, password],
      ],
      submit: text.title,
      onSubmit: async () => {
        try {
          await signInWith(email.value.trim(), password.value);
        } catch (e) {
          // Signed up but never confirmed: send a fresh code and ask for it.
          if (e instanceof CognitoError && e.type === 'UserNotConfirmedException') {
            const delivery = await resendConfirmationCode(settings, email.value.trim());
            return showConfirm(email.value.trim(), password.value, sentTo(delivery, 'confirmationCode'));
          }
          throw e;
        }
      },
      links: [
        ...(auth.selfSignUp ? ([[text.createAccountLink, () => showSignUp(email.value.trim())]] as const) : []),
        [text.forgotLink, () => showForgot(email.value.trim())],
      ],
    });
    if (emailValue !== '') password.focus();
  };

  const showSignUp = (emailValue = ''): void => {
    const email = emailInput('sign-up-email', emailValue);
    const name = input('sign-up-name', { maxlength: DISPLAY_NAME_MAX, autocomplete: 'nickname' });
    const password = newPasswordInput('sign-up-password');
    show({
      title: text.createTitle,
      hint: text.createHint(PASSWORD_HINT),
      fields: [
        [text.email, email],
        [text.displayName, name],
        [text.password, password],
      ],
      submit: text.createSubmit,
      onSubmit: async () => {
        const displayName = name.value.trim();
        if (displayName === '') throw new InputError(text.enterDisplayName);
        const result = await signUp(settings, { email: email.value.trim(), displayName, password: password.value });
        if (result.confirmed) return signInWith(email.value.trim(), password.value);
        showConfirm(email.value.trim(), password.value, sentTo(result, 'confirmationCode'));
      },
      links: [[text.haveAccountLink, () => showSignIn(email.value.trim())]],
    });
  };

  /** Confirms a new account; with the password still in memory, signs in at once. */
  const showConfirm = (email: string, password: string | undefined, notice: string): void => {
    const code = codeInput('confirm-code');
    show({
      title: text.confirmTitle,
      notice,
      hint: text.confirmHint,
      fields: [[text.confirmationCode, code]],
      submit: text.confirm,
      onSubmit: async () => {
        await confirmSignUp(settings, email, code.value.trim());
        if (password !== undefined) return signInWith(email, password);
        showSignIn(email, text.confirmed);
      },
      links: [
        [
          text.sendNewCode,
          () =>
            void resendConfirmationCode(settings, email)
              .then((delivery) => showConfirm(email, password, sentTo(delivery, 'newCode')))
              .catch((e: unknown) => failWith(e, text.sendNewCodeFailed)),
        ],
        [text.backToSignIn, () => showSignIn(email)],
      ],
    });
  };

  const showForgot = (emailValue = ''): void => {
    const email = emailInput('forgot-email', emailValue);
    show({
      title: text.forgotTitle,
      hint: text.forgotHint,
      fields: [[text.email, email]],
      submit: text.sendCode,
      onSubmit: async () => {
        const delivery = await forgotPassword(settings, email.value.trim());
        showReset(email.value.trim(), sentTo(delivery, 'code'));
      },
      links: [[text.backToSignIn, () => showSignIn(email.value.trim())]],
    });
  };

  const showReset = (email: string, notice: string): void => {
    const code = codeInput('reset-code');
    const password = newPasswordInput('reset-password');
    show({
      title: text.resetTitle,
      notice,
      hint: PASSWORD_HINT,
      fields: [
        [text.code, code],
        [text.newPassword, password],
      ],
      submit: text.setPassword,
      onSubmit: async () => {
        await confirmForgotPassword(settings, email, code.value.trim(), password.value);
        await signInWith(email, password.value);
      },
      links: [
        [text.sendNewCode, () => showForgot(email)],
        [text.backToSignIn, () => showSignIn(email)],
      ],
    });
  };

  showSignIn();
}
