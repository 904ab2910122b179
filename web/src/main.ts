// Starts the portal: styles, language, state, pages, and what happens when the session ends.
import { createPinia } from 'pinia';
import { createApp, watch } from 'vue';
import App from './App.vue';
import { api } from './api/instance';
import { REFRESH_TOKEN_KEY } from './api/tokens';
import { i18n } from './i18n';
import { makeRouter } from './router';
import { useAuthStore } from './stores/auth';
import './styles/main.css';

const app = createApp(App);
const pinia = createPinia();
const router = makeRouter();
app.use(pinia).use(i18n).use(router);

const auth = useAuthStore(pinia);
function backToLogin(): void {
  auth.sessionEnded();
  const here = router.currentRoute.value;
  if (here.meta.auth) {
    void router.replace({ path: '/login', query: { expired: '1', redirect: here.fullPath } });
  }
}
api().onSessionEnded = backToLogin;

// Logging out in another tab removes the refresh token: follow suit here.
window.addEventListener('storage', (e) => {
  if (e.key === REFRESH_TOKEN_KEY && e.newValue === null && auth.isAuthenticated) {
    api().clearSession();
    backToLogin();
  }
});

document.documentElement.lang = i18n.global.locale.value;
watch(i18n.global.locale, () => {
  const key = router.currentRoute.value.meta.title;
  if (key) document.title = `${i18n.global.t(key)} · Atelier`;
});

app.mount('#app');
