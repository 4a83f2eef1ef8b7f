import { useCallback, useEffect, useRef, useState } from 'react';
import { PAGES, ROLE_LABEL } from '@openphm/api-contract';
import { api, type Me } from './api.js';
import { ActionsPage } from './pages/Actions.js';
import { AuditPage } from './pages/Audit.js';
import { AccountPage } from './pages/Account.js';
import { AccountsPage } from './pages/Accounts.js';
import { BoardReportPage } from './pages/BoardReport.js';
import { CaseloadPage } from './pages/Caseload.js';
import { CohortsPage } from './pages/Cohorts.js';
import { DirectoryPage } from './pages/Directory.js';
import { DashboardPage } from './pages/Dashboard.js';
import { LoginPage } from './pages/Login.js';
import { MapPage } from './pages/Map.js';
import { PersonPage } from './pages/Person.js';
import { FindPersonPage } from './pages/FindPerson.js';
import { PopulationPage } from './pages/Population.js';
import { ProactiveCarePage } from './pages/ProactiveCare.js';
import { ReferralsPage } from './pages/Referrals.js';
import { RisksPage } from './pages/Risks.js';
import { ScorecardPage } from './pages/Scorecard.js';
import { SocialPrescribingPage } from './pages/SocialPrescribing.js';
import { WorklistPage } from './pages/Worklist.js';
import { MyWorkPage } from './pages/MyWork.js';
import { MeetingsPage } from './pages/Meetings.js';
import { InboxPage } from './pages/Inbox.js';
import { useUnreadCount } from './components/team.js';

type Role = Me['role'];

const pageFromHash = (): string => window.location.hash.replace(/^#\/?/, '').split('?')[0] || 'dashboard';

export const App = () => {
  const [me, setMe] = useState<Me | null>(null);
  const [page, setPage] = useState(pageFromHash);
  const main = useRef<HTMLElement>(null);
  // Care professionals see how many of their notifications are unread next to My work.
  const [readTick, setReadTick] = useState(0);
  const unread = useUnreadCount(me?.role === 'neighbourhood', `${page}:${readTick}`);

  useEffect(() => {
    api.me().then(setMe, () => setMe({ user: null, role: 'public' }));
    const onHash = () => setPage(pageFromHash());
    window.addEventListener('hashchange', onHash);
    return () => window.removeEventListener('hashchange', onHash);
  }, []);

  useEffect(() => {
    const label = page === 'login' ? 'Log in' : (PAGES.find((p) => p.id === page)?.label ?? 'Not found');
    document.title = `${label} · OpenPHM`;
  }, [page]);

  const go = useCallback((id: string) => {
    window.location.hash = `#/${id}`;
    main.current?.focus();
  }, []);

  const logout = async () => {
    setMe(await api.logout().catch(() => ({ user: null, role: 'public' as const })));
    go('dashboard');
  };

  if (me === null) return <p className="loading">Loading…</p>;
  const role = me.role;
  const def = PAGES.find((p) => p.id === page);
  const allowed = def?.roles.includes(role) ?? false;

  let content;
  if (page === 'login') content = <LoginPage onLogin={(m) => (setMe(m), go('dashboard'))} />;
  else if (!def) content = <p>That page does not exist.</p>;
  else if (!allowed)
    content =
      role === 'public' ? (
        <div className="notice" role="alert">
          <h1>{def.label}</h1>
          <p>
            Log in to see this page. <a href="#/login">Log in</a>
          </p>
        </div>
      ) : (
        <div className="notice" role="alert">
          <h1>{def.label}</h1>
          <p>Your role ({ROLE_LABEL[role]}) does not give access to this page.</p>
        </div>
      );
  else if (page === 'dashboard') content = <DashboardPage />;
  else if (page === 'map') content = <MapPage me={me} />;
  else if (page === 'population') content = <PopulationPage />;
  else if (page === 'cohorts') content = <CohortsPage me={me} />;
  else if (page === 'worklist') content = <WorklistPage me={me} />;
  else if (page === 'person') content = <PersonPage me={me} />;
  else if (page === 'find-person') content = <FindPersonPage me={me} />;
  else if (page === 'scorecard') content = <ScorecardPage me={me} />;
  else if (page === 'actions') content = <ActionsPage me={me} />;
  else if (page === 'risks') content = <RisksPage me={me} />;
  else if (page === 'report') content = <BoardReportPage />;
  else if (page === 'directory') content = <DirectoryPage me={me} />;
  else if (page === 'referrals') content = <ReferralsPage me={me} />;
  else if (page === 'caseload') content = <CaseloadPage me={me} />;
  else if (page === 'my-work') content = <MyWorkPage me={me} onNotificationsRead={() => setReadTick((n) => n + 1)} />;
  else if (page === 'meetings') content = <MeetingsPage me={me} />;
  else if (page === 'inbox') content = <InboxPage me={me} />;
  else if (page === 'social-prescribing') content = <SocialPrescribingPage />;
  else if (page === 'proactive-care') content = <ProactiveCarePage />;
  else if (page === 'accounts') content = <AccountsPage me={me} />;
  else if (page === 'account') content = <AccountPage me={me} />;
  else content = <AuditPage />;

  return (
    <div className="app">
      <a className="skip" href="#main" onClick={(e) => (e.preventDefault(), main.current?.focus())}>
        Skip to content
      </a>
      <header className="top">
        <span className="brand">
          OpenPHM <span className="sub">West Yorkshire &amp; Harrogate · synthetic data</span>
        </span>
        <span className="who" data-testid="who">
          {me.user ? (
            <>
              {me.user.displayName} ({ROLE_LABEL[role]}
              {me.user.neighbourhoodId ? `: ${me.user.neighbourhoodId}` : ''}){' '}
              <a className="button secondary" href="#/account">
                My account
              </a>{' '}
              <button type="button" onClick={logout}>
                Log out
              </button>
            </>
          ) : (
            <>
              Public view{' '}
              <a className="button" href="#/login">
                Log in
              </a>
            </>
          )}
        </span>
      </header>
      <div className="body">
        <nav aria-label="Main" className="side">
          <ul>
            {PAGES.filter((p) => p.roles.includes(role) && p.inMenu !== false).map((p) => (
              <li key={p.id}>
                <a href={`#/${p.id}`} aria-current={p.id === page ? 'page' : undefined}>
                  {p.label}
                </a>
                {p.id === 'my-work' && unread !== null && unread > 0 && (
                  <span className="badge unread" data-testid="unread-count" title={`${unread} unread notifications`}>
                    {unread}
                    <span className="visually-hidden"> unread</span>
                  </span>
                )}
              </li>
            ))}
            {role === 'public' && (
              <li>
                <a href="#/login" aria-current={page === 'login' ? 'page' : undefined}>
                  Log in
                </a>
              </li>
            )}
          </ul>
        </nav>
        <main id="main" ref={main} tabIndex={-1}>
          {content}
        </main>
      </div>
    </div>
  );
};
