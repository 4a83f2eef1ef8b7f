/**
 * Name lists for synthetic identities that the shared reference data does not hold. They are
 * lists of facts (which names are common), written for this project; no frequencies are claimed
 * beyond the order they are listed in (most common first), which the draws weight as ranks.
 *
 * Basis:
 * - ENGLAND_SURNAMES: the most common surnames in England and Wales in the order widely reported
 *   from the Office for National Statistics' 2002 analysis of the NHS Central Register (rank only;
 *   there is no open surname frequency list for England: ONS does not publish surname statistics,
 *   FOI-2024-1916). Names common mainly in South Asian communities (Patel, Khan, Singh, Ali,
 *   Begum, Hussain, Ahmed, Kaur, Gill) are left out here: they come with the communities below.
 * - WEST_RIDING_SURNAMES: surnames whose distribution has long been concentrated in the West Riding
 *   of Yorkshire (place-name and occupational names such as Sutcliffe, Greenwood, Hirst), as family
 *   name dictionaries describe them; a local flavour, drawn for a small share of people.
 * - The community lists (Pakistani, Bangladeshi, Sikh, Hindu and Muslim Gujarati, Caribbean,
 *   Nigerian, Ghanaian, Zimbabwean, Somali, Chinese, Romanian, Filipino, Nepali, Tamil, Arab,
 *   Kurdish/Iranian): names common among these communities in Britain, in rough order of frequency;
 *   rank only. Given names are weighted by how often ONS recorded them for babies in England and
 *   Wales 1996-2024 where they appear there (see identity.ts), so the order here matters little.
 * - Surnames with published ranks (Scotland, Ireland, Poland by sex, Bangladesh) come from the
 *   shared data's identity/surnames.csv instead (NRS OGL v3.0; CSO Ireland CC BY 4.0; PESEL CC0;
 *   Wikipedia lists via CC0).
 */

export const ENGLAND_SURNAMES: readonly string[] = [
  'Smith', 'Jones', 'Williams', 'Taylor', 'Brown', 'Davies', 'Evans', 'Wilson', 'Thomas', 'Johnson',
  'Roberts', 'Robinson', 'Thompson', 'Wright', 'Walker', 'White', 'Edwards', 'Hughes', 'Green', 'Hall',
  'Lewis', 'Harris', 'Clarke', 'Jackson', 'Wood', 'Turner', 'Martin', 'Cooper', 'Hill', 'Ward',
  'Morris', 'Moore', 'Clark', 'Lee', 'King', 'Baker', 'Harrison', 'Morgan', 'Allen', 'James',
  'Scott', 'Phillips', 'Watson', 'Davis', 'Parker', 'Price', 'Bennett', 'Young', 'Griffiths', 'Mitchell',
  'Kelly', 'Cook', 'Carter', 'Richardson', 'Bailey', 'Collins', 'Bell', 'Shaw', 'Murphy', 'Miller',
  'Cox', 'Richards', 'Marshall', 'Anderson', 'Simpson', 'Ellis', 'Adams', 'Wilkinson', 'Foster', 'Chapman',
  'Powell', 'Webb', 'Rogers', 'Gray', 'Mason', 'Hunt', 'Campbell', 'Matthews', 'Owen', 'Palmer',
  'Holmes', 'Mills', 'Barnes', 'Knight', 'Lloyd', 'Butler', 'Russell', 'Barker', 'Fisher', 'Stevens',
  'Jenkins', 'Murray', 'Dixon', 'Harvey', 'Graham', 'Pearson', 'Fletcher', 'Walsh',
  'Gibson', 'Howard', 'Andrews', 'Stewart', 'Elliott', 'Reynolds', 'Saunders', 'Payne', 'Fox', 'Ford',
  'Pearce', 'Day', 'Brooks', 'West', 'Lawrence', 'Cole', 'Atkinson', 'Bradley', 'Spencer',
  'Dawson', 'Ball', 'Burton', "O'Brien", 'Watts', 'Rose', 'Booth', 'Perry', 'Ryan', 'Grant',
  'Wells', 'Armstrong', 'Francis', 'Rees', 'Hayes', 'Hart', 'Hudson', 'Newman', 'Barrett', 'Webster',
  'Hunter', 'Gregory', 'Carr', 'Lowe', 'Page', 'Marsh', 'Riley', 'Dunn', 'Woods', 'Parsons',
];

export const WEST_RIDING_SURNAMES: readonly string[] = [
  'Greenwood', 'Sutcliffe', 'Hirst', 'Haigh', 'Firth', 'Holroyd', 'Ackroyd', 'Crowther', 'Priestley', 'Barraclough',
  'Lockwood', 'Pickles', 'Sykes', 'Whiteley', 'Hepworth', 'Ramsden', 'Broadbent', 'Shackleton', 'Holdsworth', 'Hargreaves',
  'Dyson', 'Horsfall', 'Oldroyd', 'Armitage', 'Senior', 'Beaumont', 'Kaye', 'Gledhill', 'Illingworth', 'Butterfield',
  'Feather', 'Jowett', 'Mellor', 'Ingham', 'Brook', 'Sugden', 'Exley', 'Wadsworth', 'Gaukroger', 'Murgatroyd',
];

/** Common surnames of people of Pakistani heritage in Britain (Bradford, Kirklees, Calderdale). */
export const PAKISTANI_SURNAMES: readonly string[] = [
  'Hussain', 'Khan', 'Ahmed', 'Ali', 'Mahmood', 'Iqbal', 'Akhtar', 'Shah', 'Rashid', 'Aslam',
  'Mohammed', 'Anwar', 'Javed', 'Rafiq', 'Riaz', 'Saleem', 'Hanif', 'Malik', 'Butt', 'Qureshi',
  'Sharif', 'Bashir', 'Akram', 'Nawaz', 'Rehman', 'Zaman', 'Yousaf', 'Raja', 'Mirza', 'Arshad',
  'Latif', 'Majid', 'Ashraf', 'Hamid', 'Sadiq', 'Younis', 'Karim', 'Siddique', 'Chaudhry', 'Mughal',
];
/** Surnames many Pakistani women hold instead of a family name. */
export const PAKISTANI_WOMEN_SURNAMES: readonly string[] = ['Bibi', 'Begum', 'Akhtar', 'Kauser', 'Bi', 'Parveen', 'Kausar', 'Sultana'];

export const BANGLADESHI_SURNAMES: readonly string[] = [
  'Miah', 'Uddin', 'Ahmed', 'Ali', 'Rahman', 'Islam', 'Hussain', 'Hoque', 'Choudhury', 'Alam',
  'Khan', 'Hossain', 'Mia', 'Chowdhury', 'Sheikh', 'Karim', 'Rashid', 'Haque', 'Talukder', 'Sarker',
];
export const BANGLADESHI_WOMEN_SURNAMES: readonly string[] = ['Begum', 'Khatun', 'Akter', 'Bibi', 'Akhter'];

/** Surnames held by women only (a baby does not inherit them; a man is never given them). */
export const WOMEN_ONLY_SURNAMES: ReadonlySet<string> = new Set([
  ...PAKISTANI_WOMEN_SURNAMES.filter((n) => n !== 'Akhtar'), ...BANGLADESHI_WOMEN_SURNAMES, 'Kaur', 'Devi',
]);

/** Sikh Punjabi surnames (Jat and other clan names); Singh and Kaur are drawn separately. */
export const SIKH_SURNAMES: readonly string[] = [
  'Gill', 'Sandhu', 'Sidhu', 'Bains', 'Dhillon', 'Kang', 'Johal', 'Sahota', 'Grewal', 'Dhaliwal',
  'Bassi', 'Virdee', 'Atwal', 'Mann', 'Hayer', 'Bhogal', 'Sohal', 'Rai', 'Basra', 'Chahal',
];
export const HINDU_SURNAMES: readonly string[] = [
  'Patel', 'Mistry', 'Sharma', 'Parmar', 'Kumar', 'Shah', 'Chauhan', 'Lad', 'Mehta', 'Joshi',
  'Gupta', 'Desai', 'Solanki', 'Chavda', 'Rana', 'Pandya', 'Bhatt', 'Trivedi', 'Thakkar', 'Vyas',
];
/** Muslim Gujarati families (Dewsbury, Batley). */
export const GUJARATI_MUSLIM_SURNAMES: readonly string[] = [
  'Patel', 'Desai', 'Bhayat', 'Mangera', 'Kara', 'Vali', 'Hafeji', 'Bhamji', 'Ismail', 'Musa',
  'Lunat', 'Mulla', 'Dadabhai', 'Sidat', 'Mayet',
];
export const CARIBBEAN_SURNAMES: readonly string[] = [
  'Campbell', 'Brown', 'Williams', 'Smith', 'Johnson', 'Thomas', 'Clarke', 'Grant', 'Reid', 'Francis',
  'Lewis', 'Robinson', 'Stewart', 'Edwards', 'Wright', 'Henry', 'Bailey', 'James', 'Gordon', 'Morgan',
  'Walker', 'Green', 'Scott', 'Richards', 'Samuels', 'Spence', 'McKenzie', 'Bennett', 'Forbes', 'Powell',
];
export const NIGERIAN_SURNAMES: readonly string[] = [
  'Okafor', 'Adeyemi', 'Okeke', 'Adebayo', 'Eze', 'Okonkwo', 'Nwosu', 'Ogunleye', 'Balogun', 'Olawale',
  'Adeleke', 'Obi', 'Oladipo', 'Nwachukwu', 'Afolabi', 'Onyeka', 'Ibrahim', 'Bello', 'Adeniyi', 'Uche',
];
export const GHANAIAN_SURNAMES: readonly string[] = [
  'Mensah', 'Asante', 'Boateng', 'Owusu', 'Osei', 'Appiah', 'Agyeman', 'Acheampong', 'Amoah', 'Darko',
  'Addo', 'Ofori', 'Antwi', 'Quaye', 'Tetteh',
];
export const ZIMBABWEAN_SURNAMES: readonly string[] = [
  'Moyo', 'Ncube', 'Sibanda', 'Dube', 'Ndlovu', 'Nyathi', 'Mpofu', 'Chikwanha', 'Mutasa', 'Chinembiri',
  'Gumbo', 'Marufu', 'Mhlanga', 'Shumba', 'Zhou',
];
export const SOMALI_SURNAMES: readonly string[] = [
  'Mohamed', 'Ali', 'Abdi', 'Hassan', 'Omar', 'Farah', 'Warsame', 'Yusuf', 'Ahmed', 'Ismail',
  'Osman', 'Nur', 'Aden', 'Jama', 'Hussein',
];
export const CHINESE_SURNAMES: readonly string[] = [
  'Chan', 'Wong', 'Li', 'Wang', 'Zhang', 'Liu', 'Chen', 'Cheung', 'Lam', 'Leung',
  'Ng', 'Lau', 'Lee', 'Yang', 'Huang', 'Zhao', 'Wu', 'Zhou', 'Chow', 'Ho',
  'Tang', 'Yip', 'Lin', 'Xu', 'Sun',
];
export const ROMANIAN_SURNAMES: readonly string[] = [
  'Popa', 'Popescu', 'Pop', 'Radu', 'Ionescu', 'Dumitru', 'Stan', 'Stoica', 'Gheorghe', 'Matei',
  'Munteanu', 'Ciobanu', 'Constantin', 'Rusu', 'Lungu',
];
export const FILIPINO_SURNAMES: readonly string[] = ['Santos', 'Reyes', 'Cruz', 'Bautista', 'Garcia', 'Mendoza', 'Ramos', 'Aquino', 'Castillo', 'Villanueva'];
export const NEPALI_SURNAMES: readonly string[] = ['Gurung', 'Rai', 'Limbu', 'Tamang', 'Thapa', 'Magar', 'Shrestha', 'Pun', 'Ghale', 'Sherpa'];
export const TAMIL_SURNAMES: readonly string[] = ['Sivakumar', 'Nadarajah', 'Selvarajah', 'Kandiah', 'Ponnambalam', 'Rajaratnam', 'Balasubramaniam', 'Kanagaratnam', 'Thurairajah', 'Yogarajah'];
export const ARAB_SURNAMES: readonly string[] = [
  'Mohammed', 'Ahmed', 'Hassan', 'Ali', 'Ibrahim', 'Abdullah', 'Mahmoud', 'Saleh', 'Omar', 'Hussein',
  'Khalil', 'Mansour', 'Haddad', 'Nasser', 'Younes',
];
export const KURDISH_IRANIAN_SURNAMES: readonly string[] = [
  'Ahmadi', 'Hosseini', 'Rahimi', 'Karimi', 'Mohammadi', 'Rezaei', 'Mahmoudi', 'Hassani', 'Azizi', 'Amini',
  'Abdullah', 'Rashid', 'Salih', 'Aziz', 'Hamad',
];

/** A given-name list by sex (most common first). */
export interface GivenNameList {
  readonly F: readonly string[];
  readonly M: readonly string[];
}

export const PAKISTANI_GIVEN: GivenNameList = {
  M: [
    'Muhammad', 'Mohammed', 'Mohammad', 'Ibrahim', 'Yusuf', 'Ali', 'Hamza', 'Zain', 'Ayaan', 'Rayyan',
    'Bilal', 'Usman', 'Imran', 'Tariq', 'Zubair', 'Adnan', 'Asif', 'Kamran', 'Nadeem', 'Shahid',
    'Abdul', 'Arslan', 'Haris', 'Zakariya', 'Musa', 'Khalid', 'Saqib', 'Naveed', 'Amir', 'Faisal',
  ],
  F: [
    'Maryam', 'Aisha', 'Fatima', 'Zainab', 'Ayesha', 'Khadija', 'Amina', 'Hafsa', 'Hira', 'Iqra',
    'Sana', 'Nazia', 'Shazia', 'Samina', 'Nasreen', 'Rubina', 'Shabana', 'Parveen', 'Farzana', 'Saima',
    'Mariam', 'Anaya', 'Inaya', 'Zara', 'Safa', 'Noor', 'Alisha', 'Rukhsana', 'Tahira', 'Bushra',
  ],
};
export const BANGLADESHI_GIVEN: GivenNameList = {
  M: ['Mohammed', 'Muhammad', 'Abdul', 'Tahmid', 'Rahim', 'Shahed', 'Jamal', 'Kamal', 'Sabbir', 'Tanvir', 'Rafiq', 'Shahin', 'Ibrahim', 'Yusuf', 'Rayhan'],
  F: ['Fatima', 'Ayesha', 'Sumaiya', 'Tasnim', 'Nusrat', 'Salma', 'Rehana', 'Shirin', 'Jannat', 'Ruksana', 'Maryam', 'Tania', 'Shamima', 'Sadia', 'Amina'],
};
export const SIKH_GIVEN: GivenNameList = {
  M: ['Harpreet', 'Gurpreet', 'Jaspreet', 'Manpreet', 'Harjinder', 'Sukhdev', 'Balwinder', 'Jaswinder', 'Kuldip', 'Rajinder', 'Amrik', 'Arjun', 'Harvinder', 'Jasvir', 'Gurdeep'],
  F: ['Harpreet', 'Simran', 'Manpreet', 'Jaspreet', 'Gurpreet', 'Amandeep', 'Rajwinder', 'Sukhvinder', 'Kiran', 'Navneet', 'Harjeet', 'Jasleen', 'Parminder', 'Balbir', 'Mandeep'],
};
export const HINDU_GIVEN: GivenNameList = {
  M: ['Arjun', 'Rohan', 'Rahul', 'Vikram', 'Sanjay', 'Rajesh', 'Anil', 'Ravi', 'Suresh', 'Amit', 'Dev', 'Krish', 'Aarav', 'Nikhil', 'Pritesh'],
  F: ['Priya', 'Anjali', 'Pooja', 'Neha', 'Meena', 'Sunita', 'Rekha', 'Asha', 'Kavita', 'Nisha', 'Divya', 'Shreya', 'Riya', 'Anika', 'Hema'],
};
export const POLISH_GIVEN: GivenNameList = {
  M: ['Jakub', 'Kacper', 'Szymon', 'Mateusz', 'Filip', 'Michał', 'Bartosz', 'Wiktor', 'Piotr', 'Tomasz', 'Paweł', 'Krzysztof', 'Marcin', 'Łukasz', 'Adam', 'Andrzej', 'Jan', 'Marek', 'Grzegorz', 'Dawid'],
  F: ['Zofia', 'Julia', 'Zuzanna', 'Maja', 'Lena', 'Hanna', 'Anna', 'Katarzyna', 'Magdalena', 'Agnieszka', 'Joanna', 'Aleksandra', 'Monika', 'Natalia', 'Karolina', 'Ewa', 'Małgorzata', 'Barbara', 'Justyna', 'Oliwia'],
};
export const ROMANIAN_GIVEN: GivenNameList = {
  M: ['Andrei', 'Alexandru', 'Ionut', 'Mihai', 'Gabriel', 'Florin', 'Adrian', 'Cristian', 'Stefan', 'Bogdan', 'Marius', 'Vlad'],
  F: ['Maria', 'Elena', 'Ioana', 'Andreea', 'Alexandra', 'Mihaela', 'Gabriela', 'Cristina', 'Daniela', 'Roxana', 'Alina', 'Bianca'],
};
export const NIGERIAN_GIVEN: GivenNameList = {
  M: ['Oluwaseun', 'Chukwuemeka', 'Adebayo', 'Olumide', 'Chinedu', 'Emeka', 'Tunde', 'Obinna', 'David', 'Samuel', 'Daniel', 'Joshua', 'Oluwatobi', 'Ayodele', 'Ikenna'],
  F: ['Chiamaka', 'Oluwaseun', 'Funmilayo', 'Ngozi', 'Adaeze', 'Blessing', 'Temitope', 'Folake', 'Chioma', 'Precious', 'Grace', 'Esther', 'Oluwadamilola', 'Ifeoma', 'Yetunde'],
};
export const GHANAIAN_GIVEN: GivenNameList = {
  M: ['Kwame', 'Kofi', 'Kwabena', 'Yaw', 'Kwaku', 'Kojo', 'Nana', 'Emmanuel', 'Samuel', 'Isaac'],
  F: ['Abena', 'Akosua', 'Ama', 'Adwoa', 'Afua', 'Yaa', 'Esi', 'Efua', 'Grace', 'Comfort'],
};
export const ZIMBABWEAN_GIVEN: GivenNameList = {
  M: ['Tendai', 'Tatenda', 'Farai', 'Tinashe', 'Takudzwa', 'Blessing', 'Tafadzwa', 'Kudakwashe', 'Simbarashe', 'Tawanda'],
  F: ['Tendai', 'Rutendo', 'Chipo', 'Nyasha', 'Tsitsi', 'Rumbidzai', 'Vimbai', 'Tariro', 'Fadzai', 'Ruvimbo'],
};
export const SOMALI_GIVEN: GivenNameList = {
  M: ['Mohamed', 'Abdirahman', 'Abdullahi', 'Ahmed', 'Hassan', 'Ali', 'Yusuf', 'Abdi', 'Omar', 'Ismail'],
  F: ['Fadumo', 'Hodan', 'Amina', 'Sahra', 'Hawa', 'Ayan', 'Ifrah', 'Khadra', 'Nimco', 'Hibo'],
};
export const CHINESE_GIVEN: GivenNameList = {
  M: ['Wei', 'Jun', 'Hao', 'Ming', 'Jie', 'Lei', 'Kai', 'Chi', 'Wing', 'Ka'],
  F: ['Mei', 'Xin', 'Yan', 'Li', 'Ying', 'Hui', 'Jing', 'Ling', 'Wai', 'Yu'],
};
export const FILIPINO_GIVEN: GivenNameList = {
  M: ['Jose', 'Mark', 'John', 'Angelo', 'Carlo', 'Rommel', 'Jun', 'Paolo'],
  F: ['Maria', 'Joy', 'Grace', 'Rosario', 'Cristina', 'Marites', 'Angelica', 'Jasmine'],
};
export const NEPALI_GIVEN: GivenNameList = {
  M: ['Bikash', 'Suman', 'Ramesh', 'Dipak', 'Prakash', 'Anil', 'Sagar', 'Kiran'],
  F: ['Sita', 'Gita', 'Sunita', 'Anita', 'Sabina', 'Rita', 'Pooja', 'Laxmi'],
};
export const TAMIL_GIVEN: GivenNameList = {
  M: ['Arun', 'Karthik', 'Senthil', 'Ganesh', 'Suresh', 'Prakash', 'Vijay', 'Ravi'],
  F: ['Lakshmi', 'Priya', 'Kavitha', 'Meena', 'Shanthi', 'Thanuja', 'Divya', 'Nirmala'],
};
export const ARAB_GIVEN: GivenNameList = {
  M: ['Mohammed', 'Ahmed', 'Omar', 'Ali', 'Khalid', 'Yusuf', 'Hassan', 'Mahmoud', 'Karim', 'Tariq', 'Sami', 'Adam'],
  F: ['Fatima', 'Mariam', 'Layla', 'Nour', 'Yasmin', 'Sara', 'Huda', 'Rania', 'Amal', 'Salma', 'Aya', 'Hana'],
};
export const KURDISH_IRANIAN_GIVEN: GivenNameList = {
  M: ['Reza', 'Ali', 'Hossein', 'Mehdi', 'Dara', 'Karwan', 'Rebwar', 'Saman', 'Aram', 'Kamran'],
  F: ['Zahra', 'Maryam', 'Shirin', 'Roya', 'Leila', 'Narges', 'Avin', 'Rojin', 'Shilan', 'Parisa'],
};
