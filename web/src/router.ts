// The portal's pages. Signed-in pages sit inside the app shell; the guard restores a session
// from the refresh token after a reload before deciding.
import { createRouter, createWebHistory, type RouteLocationNormalized, type Router } from 'vue-router';
import { i18n } from '@/i18n';
import { useAuthStore } from '@/stores/auth';

declare module 'vue-router' {
  interface RouteMeta {
    /** Needs a signed-in user. */
    auth?: boolean;
    /** Only for signed-out visitors (a signed-in one goes to the projects). */
    guestOnly?: boolean;
    /** Locale key of the page's title. */
    title?: string;
    /** Uses the whole width of the window (the board, the Gantt chart). */
    wide?: boolean;
  }
}

export function makeRouter(): Router {
  const router = createRouter({
    history: createWebHistory(),
    routes: [
      { path: '/login', component: () => import('@/views/auth/LoginView.vue'), meta: { guestOnly: true, title: 'auth.login.title' } },
      { path: '/signup', component: () => import('@/views/auth/SignupView.vue'), meta: { guestOnly: true, title: 'auth.signup.title' } },
      {
        path: '/forgot-password',
        component: () => import('@/views/auth/ForgotPasswordView.vue'),
        meta: { guestOnly: true, title: 'auth.forgot.title' },
      },
      { path: '/reset-password', component: () => import('@/views/auth/ResetPasswordView.vue'), meta: { title: 'auth.reset.title' } },
      { path: '/verify-email', component: () => import('@/views/auth/VerifyEmailView.vue'), meta: { title: 'auth.verify.title' } },
      {
        path: '/accept-invitation',
        component: () => import('@/views/auth/AcceptInvitationView.vue'),
        meta: { auth: true, title: 'auth.invitation.title' },
      },
      {
        // The consent page of an OAuth authorization (ADR 0008): GET /oauth2/authorize sends the
        // browser here with the request in the query.
        path: '/authorize',
        component: () => import('@/views/auth/AuthorizeView.vue'),
        meta: { auth: true, title: 'oauth.title' },
      },
      {
        path: '/',
        component: () => import('@/views/AppLayout.vue'),
        meta: { auth: true },
        children: [
          { path: '', redirect: '/projects' },
          { path: 'projects', component: () => import('@/views/projects/ProjectsView.vue'), meta: { title: 'projects.title' } },
          { path: 'projects/new', component: () => import('@/views/projects/ProjectNewView.vue'), meta: { title: 'projects.create.title' } },
          {
            path: 'projects/:id',
            component: () => import('@/views/projects/ProjectView.vue'),
            props: true,
            meta: { title: 'projects.title' },
          },
          {
            path: 'projects/:id/board',
            component: () => import('@/views/projects/BoardView.vue'),
            props: true,
            meta: { title: 'plan.board.title', wide: true },
          },
          {
            path: 'projects/:id/gantt',
            component: () => import('@/views/projects/GanttView.vue'),
            props: true,
            meta: { title: 'plan.gantt.title', wide: true },
          },
          {
            path: 'projects/:id/documents',
            component: () => import('@/views/documents/DocumentsView.vue'),
            props: true,
            meta: { title: 'documents.title' },
          },
          { path: 'documents', component: () => import('@/views/documents/DocumentsView.vue'), meta: { title: 'documents.title' } },
          {
            path: 'documents/:id',
            component: () => import('@/views/documents/DocumentView.vue'),
            props: true,
            meta: { title: 'documents.title' },
          },
          { path: 'books', component: () => import('@/views/books/BooksView.vue'), meta: { title: 'books.title' } },
          { path: 'books/new', component: () => import('@/views/books/BookNewView.vue'), meta: { title: 'books.create.title' } },
          {
            path: 'books/:id',
            component: () => import('@/views/books/BookView.vue'),
            props: true,
            meta: { title: 'books.title' },
          },
          { path: 'members', component: () => import('@/views/MembersView.vue'), meta: { title: 'members.title' } },
          { path: 'settings', component: () => import('@/views/SettingsView.vue'), meta: { title: 'settings.title' } },
        ],
      },
      { path: '/:pathMatch(.*)*', component: () => import('@/views/NotFoundView.vue'), meta: { title: 'notFound.title' } },
    ],
  });

  router.beforeEach(async (to: RouteLocationNormalized) => {
    const auth = useAuthStore();
    await auth.restore();
    if (to.meta.auth && !auth.isAuthenticated) {
      return { path: '/login', query: to.fullPath === '/' || to.fullPath === '/projects' ? {} : { redirect: to.fullPath } };
    }
    if (to.meta.guestOnly && auth.isAuthenticated) return '/projects';
    return true;
  });

  router.afterEach((to, from) => {
    const key = to.meta.title;
    document.title = key ? `${i18n.global.t(key)} · Atelier` : 'Atelier';
    // Tell assistive technologies the page changed: focus the new page's main region.
    if (from.matched.length > 0 && to.path !== from.path) {
      requestAnimationFrame(() => document.getElementById('main')?.focus({ preventScroll: true }));
    }
  });
  return router;
}
