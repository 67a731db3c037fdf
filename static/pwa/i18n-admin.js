// The words of 管理 (the registers' index, view-admin.js); each section module brings its own file.
import { addTexts } from './i18n.js';

const zh = {
  admin_title: '管理',
  admin_explain: '维护工地档案、单位、用户、渣土车和检查表。每次修改都记入审计日志。',
  admin_explain_readonly: '可查看本街道的档案；修改由管理员进行。',
  admin_section_night: '夜间施工证明',
  admin_section_night_about: '导入住建局出具的夜间施工证明。',
};

const en = {
  admin_title: 'Administration',
  admin_explain: 'Keep the registers of sites, organisations, users, trucks and checklists. Every change is audited.',
  admin_explain_readonly: "You can see your units' registers; an administrator changes them.",
  admin_section_night: 'Night-work permits',
  admin_section_night_about: 'Import the night-work permits issued by the housing bureau.',
};

addTexts({ 'zh-CN': zh, en });
